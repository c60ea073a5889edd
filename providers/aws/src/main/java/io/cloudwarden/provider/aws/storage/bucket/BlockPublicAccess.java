package io.cloudwarden.provider.aws.storage.bucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.Json;
import io.cloudwarden.provider.aws.remediation.Remediators;
import io.cloudwarden.provider.aws.session.AwsCalls;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.util.List;
import java.util.Optional;

/** PutPublicAccessBlock with all four settings true; planned unless all four already are. */
public final class BlockPublicAccess implements Remediator {
    @Override public String actionId() { return "storage.bucket/block-public-access"; }
    @Override public String appliesTo() { return ResourceTypes.STORAGE_BUCKET; }
    @Override public List<String> permissions() { return List.of("s3:PutBucketPublicAccessBlock"); }
    @Override public RemediationPlan.Risk risk() { return RemediationPlan.Risk.MEDIUM; }
    @Override public String description() { return "Turn on all four S3 Block Public Access settings of the bucket"; }

    @Override
    public Optional<PlannedChange> plan(Resource current) {
        JsonNode pab = current.raw().path("PublicAccessBlock");
        boolean allOn = pab.path("BlockPublicAcls").asBoolean(false) && pab.path("IgnorePublicAcls").asBoolean(false)
                && pab.path("BlockPublicPolicy").asBoolean(false) && pab.path("RestrictPublicBuckets").asBoolean(false);
        if (allOn && !current.attributes().path(Attributes.StorageBucket.PUBLIC_ACCESS).asBoolean(false)) {
            return Optional.empty();
        }
        ObjectNode before = Remediators.obj();
        before.set(Attributes.StorageBucket.PUBLIC_ACCESS, current.attributes().path(Attributes.StorageBucket.PUBLIC_ACCESS).deepCopy());
        ObjectNode after = Remediators.obj().put(Attributes.StorageBucket.PUBLIC_ACCESS, false);
        ObjectNode params = Remediators.obj().put("bucket", Remediators.bucketName(current.ref()));
        params.set("previousPublicAccessBlock", pab.isMissingNode() ? Json.F.nullNode() : pab.deepCopy());
        return Optional.of(new PlannedChange("Block all public access to bucket " + Remediators.bucketName(current.ref()),
                before, after, params));
    }

    @Override
    public void apply(ProviderSession session, RemediationPlan plan) {
        var s3 = ((AwsSession) session).s3(plan.resource().account(), plan.resource().region());
        String bucket = Remediators.bucketName(plan.resource());
        AwsCalls.run("s3:PutBucketPublicAccessBlock", () -> s3.putPublicAccessBlock(r -> r.bucket(bucket)
                .publicAccessBlockConfiguration(c -> c.blockPublicAcls(true).ignorePublicAcls(true)
                        .blockPublicPolicy(true).restrictPublicBuckets(true))));
    }
}
