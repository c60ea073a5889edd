package io.cloudwarden.provider.aws.identity.key;

import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.remediation.Remediators;
import io.cloudwarden.provider.aws.session.AwsCalls;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.iam.model.StatusType;

/** UpdateAccessKey Status=Inactive (reversible, unlike deletion). */
public final class DeactivateKey implements Remediator {
    @Override public String actionId() { return "identity.key/deactivate"; }
    @Override public String appliesTo() { return ResourceTypes.IDENTITY_KEY; }
    @Override public List<String> permissions() { return List.of("iam:UpdateAccessKey"); }
    @Override public RemediationPlan.Risk risk() { return RemediationPlan.Risk.HIGH; }
    @Override public String description() { return "Deactivate the IAM access key (UpdateAccessKey Inactive)"; }

    @Override
    public Optional<PlannedChange> plan(Resource current) {
        if (!current.attributes().path("active").asBoolean(false)) {
            return Optional.empty();
        }
        String owner = current.attributes().path("owner").asText("");
        if (owner.isEmpty()) {
            throw new IllegalArgumentException("identity.key " + current.id()
                    + ": attributes.owner is required to deactivate the key but is missing");
        }
        return Optional.of(new PlannedChange("Deactivate access key " + current.id() + " of " + owner,
                Remediators.obj().put("active", true), Remediators.obj().put("active", false),
                Remediators.obj().put("userName", owner).put("accessKeyId", current.id())));
    }

    @Override
    public void apply(ProviderSession session, RemediationPlan plan) {
        var iam = ((AwsSession) session).iam(plan.resource().account());
        AwsCalls.run("iam:UpdateAccessKey", () -> iam.updateAccessKey(r -> r
                .userName(plan.params().path("userName").asText())
                .accessKeyId(plan.params().path("accessKeyId").asText()).status(StatusType.INACTIVE)));
    }
}
