package io.cloudwarden.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack tier: the same bucket scan and block-public-access remediation against LocalStack. Skipped (not failed)
 * where no Docker engine runs, as on the shared build machines.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackScanTest {
    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(
            DockerImageName.parse("localstack/localstack:4.10")).withServices("s3", "ec2", "iam", "kms", "sts");

    @Test
    void scanAndBlockPublicAccessOnLocalStack() {
        ProviderConfig config = new ProviderConfig(Cloud.AWS, Optional.of(LOCALSTACK.getEndpoint()), List.of(),
                List.of(LOCALSTACK.getRegion()), Map.of("accessKeyId", LOCALSTACK.getAccessKey(), "secretAccessKey",
                        LOCALSTACK.getSecretKey(), "region", LOCALSTACK.getRegion()));
        try (AwsSession session = new AwsSession(config)) {
            String account = session.callerAccount();
            var s3 = session.s3(account, LOCALSTACK.getRegion());
            s3.createBucket(r -> r.bucket("cw-ls-open"));
            s3.deletePublicAccessBlock(r -> r.bucket("cw-ls-open"));
            ResourceDescriptor d = new AwsProvider().descriptors().stream()
                    .filter(x -> x.type().equals(ResourceTypes.STORAGE_BUCKET)).findFirst().orElseThrow();
            List<NativeItem> items = new ArrayList<>();
            d.collector().collect(session, new Shard(Cloud.AWS, account, Shard.GLOBAL, d.type()), items::add);
            Resource bucket = items.stream().filter(i -> i.id().equals("arn:aws:s3:::cw-ls-open"))
                    .map(i -> RecordedApi.toResource(d, i)).findFirst().orElseThrow();

            var remediator = new AwsProvider().remediators().stream()
                    .filter(r -> r.actionId().equals("storage.bucket/block-public-access")).findFirst().orElseThrow();
            PlannedChange change = remediator.plan(bucket).orElseThrow();
            RemediationPlan plan = new RemediationPlan("p", "k", remediator.actionId(), remediator.risk(),
                    RemediationRef.Mode.AUTO, bucket.ref(), "", change.summary(), change.before(), change.after(),
                    change.params(), Actor.SYSTEM, Instant.now(), Instant.now().plusSeconds(3600));
            remediator.apply(session, plan);

            Resource reread = RecordedApi.toResource(d, d.collector().fetch(session, bucket.ref()).orElseThrow());
            assertThat(remediator.verify(reread, plan)).isTrue();
            assertThat(remediator.plan(reread)).isEmpty();
        }
    }
}
