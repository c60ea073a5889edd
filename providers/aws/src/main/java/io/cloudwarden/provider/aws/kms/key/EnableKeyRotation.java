package io.cloudwarden.provider.aws.kms.key;

import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.remediation.Remediators;
import io.cloudwarden.provider.aws.session.AwsCalls;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.util.List;
import java.util.Optional;

/** EnableKeyRotation (AWS default period, 365 days, unless one is already configured). */
public final class EnableKeyRotation implements Remediator {
    @Override public String actionId() { return "kms.key/enable-rotation"; }
    @Override public String appliesTo() { return ResourceTypes.KMS_KEY; }
    @Override public List<String> permissions() { return List.of("kms:EnableKeyRotation"); }
    @Override public RemediationPlan.Risk risk() { return RemediationPlan.Risk.LOW; }
    @Override public String description() { return "Enable automatic rotation of the customer-managed KMS key"; }

    @Override
    public Optional<PlannedChange> plan(Resource current) {
        if (current.attributes().path(Attributes.KmsKey.ROTATION_ENABLED).asBoolean(false)) {
            return Optional.empty();
        }
        return Optional.of(new PlannedChange("Enable rotation of KMS key " + current.id(),
                Remediators.obj().put(Attributes.KmsKey.ROTATION_ENABLED, false), Remediators.obj().put(Attributes.KmsKey.ROTATION_ENABLED, true),
                Remediators.obj().put("keyId", current.id())));
    }

    @Override
    public void apply(ProviderSession session, RemediationPlan plan) {
        var kms = ((AwsSession) session).kms(plan.resource().account(), plan.resource().region());
        AwsCalls.run("kms:EnableKeyRotation", () -> kms.enableKeyRotation(r -> r.keyId(plan.params()
                .path("keyId").asText())));
    }
}
