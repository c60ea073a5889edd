package io.cloudwarden.provider.aws.kms.key;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.AwsType;
import io.cloudwarden.provider.aws.Json;
import io.cloudwarden.provider.aws.remediation.Remediators;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code kms.key} on AWS: customer-managed KMS keys (id = the key ARN). */
public final class KmsKey implements AwsType {
    private static final String KMS = "kms.amazonaws.com";

    @Override
    public ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.KMS_KEY, "AWS::KMS::Key", Scope.REGIONAL,
                Set.of(Capability.LIST, Capability.FETCH), KeyCollector.PERMISSIONS, new KeyCollector(),
                new KeyNormalizer());
    }

    /** ScheduleKeyDeletion only schedules: the key exists (PendingDeletion) until the waiting period ends. */
    @Override
    public List<Call> cloudTrailCalls() {
        return Call.changes(KMS, "CreateKey", "EnableKey", "DisableKey", "EnableKeyRotation", "DisableKeyRotation",
                "ScheduleKeyDeletion", "CancelKeyDeletion", "TagResource", "UntagResource");
    }

    @Override
    public List<String> idsOf(CallContext call) {
        String key = Json.text(call.response(), "keyMetadata", "arn").or(() -> Json.text(call.request(), "keyId"))
                .orElseThrow(() -> new EventParseException("/detail/requestParameters/keyId",
                        "expected the KMS key id of " + call.eventName()));
        return List.of(arn(key, call.region(), call.account()));
    }

    @Override
    public Optional<String> idOfConfigItem(JsonNode item, String account, String region) {
        return Optional.of(Json.text(item, "ARN").or(() -> Json.text(item, "arn"))
                .orElseGet(() -> arn(Json.text(item, "resourceId").orElse(""), region, account)));
    }

    private static String arn(String key, String region, String account) {
        return key.startsWith("arn:") ? key : "arn:aws:kms:" + region + ":" + account + ":key/" + key;
    }

    @Override
    public List<Remediator> remediators() {
        return List.of(new EnableKeyRotation(), new Remediators.Tag(ResourceTypes.KMS_KEY, List.of("kms:TagResource")));
    }

    @Override
    public Set<String> terraformTypes() {
        return Set.of("aws_kms_key");
    }

    /** hashicorp/aws docs, r/kms_key "Import": "import KMS Keys using the id" (the key id, not the ARN). */
    @Override
    public io.cloudwarden.engine.spi.TerraformImport terraformImport(io.cloudwarden.model.Resource observed) {
        return new io.cloudwarden.engine.spi.TerraformImport.Importable("aws_kms_key",
                AwsType.lastSegment(observed.id()));
    }

    @Override
    public java.util.Map<String, String> terraformAttributes() {
        return java.util.Map.of("/enabled", "aws_kms_key.is_enabled", "/rotationEnabled",
                "aws_kms_key.enable_key_rotation", "/rotationPeriodDays", "aws_kms_key.rotation_period_in_days",
                "/pendingDeletion", "aws_kms_key.deletion_window_in_days");
    }
}
