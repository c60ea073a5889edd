package io.cloudwarden.provider.aws.storage.bucket;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** Default encryption SSE-S3 (AES256) on a bucket without default encryption. */
public final class EnableEncryption implements Remediator {
    @Override public String actionId() { return "storage.bucket/enable-encryption"; }
    @Override public String appliesTo() { return ResourceTypes.STORAGE_BUCKET; }
    @Override public List<String> permissions() { return List.of("s3:PutEncryptionConfiguration"); }
    @Override public RemediationPlan.Risk risk() { return RemediationPlan.Risk.LOW; }
    @Override public String description() { return "Enable SSE-S3 default encryption on the bucket"; }

    @Override
    public Optional<PlannedChange> plan(Resource current) {
        if (current.attributes().path("encryption").path("enabled").asBoolean(false)) {
            return Optional.empty();
        }
        ObjectNode before = Remediators.obj();
        before.set("encryption", current.attributes().path("encryption").deepCopy());
        ObjectNode after = Remediators.obj();
        after.putObject("encryption").put("enabled", true).put("keyType", "provider-managed");
        return Optional.of(new PlannedChange("Enable SSE-S3 default encryption on " + Remediators.bucketName(current.ref()),
                before, after, Remediators.obj().put("bucket", Remediators.bucketName(current.ref())).put("algorithm", "AES256")));
    }

    @Override
    public void apply(ProviderSession session, RemediationPlan plan) {
        var s3 = ((AwsSession) session).s3(plan.resource().account(), plan.resource().region());
        String bucket = Remediators.bucketName(plan.resource());
        AwsCalls.run("s3:PutEncryptionConfiguration", () -> s3.putBucketEncryption(r -> r.bucket(bucket)
                .serverSideEncryptionConfiguration(c -> c.rules(rule -> rule.applyServerSideEncryptionByDefault(
                        d -> d.sseAlgorithm(ServerSideEncryption.AES256))))));
    }
}
