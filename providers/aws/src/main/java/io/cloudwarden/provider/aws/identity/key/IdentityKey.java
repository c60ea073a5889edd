package io.cloudwarden.provider.aws.identity.key;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.AwsType;
import io.cloudwarden.provider.aws.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code identity.key} on AWS: IAM access keys (id = the access key id). AWS Config does not record them. */
public final class IdentityKey implements AwsType {
    private static final String IAM = "iam.amazonaws.com";

    @Override
    public ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.IDENTITY_KEY, "AWS::IAM::AccessKey", Scope.GLOBAL,
                Set.of(Capability.LIST, Capability.FETCH), AccessKeyCollector.PERMISSIONS, new AccessKeyCollector(),
                new AccessKeyNormalizer());
    }

    @Override
    public List<Call> cloudTrailCalls() {
        List<Call> calls = new ArrayList<>(Call.changes(IAM, "CreateAccessKey", "UpdateAccessKey"));
        calls.add(Call.deletion(IAM, "DeleteAccessKey"));
        return calls;
    }

    @Override
    public List<String> idsOf(CallContext call) {
        return List.of(Json.text(call.response(), "accessKey", "accessKeyId")
                .or(() -> Json.text(call.request(), "accessKeyId"))
                .orElseThrow(() -> new EventParseException(call.eventName().equals("CreateAccessKey")
                        ? "/detail/responseElements/accessKey/accessKeyId"
                        : "/detail/requestParameters/accessKeyId", "expected the access key id")));
    }

    @Override
    public Optional<String> idOfConfigItem(JsonNode item, String account, String region) {
        return Optional.empty();
    }

    @Override
    public boolean global() {
        return true;
    }

    @Override
    public List<Remediator> remediators() {
        return List.of(new DeactivateKey());
    }

    @Override
    public Set<String> terraformTypes() {
        return Set.of("aws_iam_access_key");
    }

    /**
     * hashicorp/aws docs, r/iam_access_key "Import": "IAM Access Keys can be imported using the identifier"
     * (the access key id, e.g. {@code AKIA1234567890}); the secret is not available after import.
     */
    @Override
    public io.cloudwarden.engine.spi.TerraformImport terraformImport(io.cloudwarden.model.Resource observed) {
        return new io.cloudwarden.engine.spi.TerraformImport.Importable("aws_iam_access_key",
                AwsType.lastSegment(observed.id()));
    }

    @Override
    public java.util.Map<String, String> terraformAttributes() {
        return java.util.Map.of("/active", "aws_iam_access_key.status", "/owner", "aws_iam_access_key.user",
                "/createdAt", "aws_iam_access_key.create_date");
    }
}
