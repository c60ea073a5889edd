package io.cloudwarden.engine.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceDrift;
import io.cloudwarden.model.ScanError;
import io.cloudwarden.model.Snapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shapes of unread scopes the three providers produce, as the estates met them. */
class UnreadScopeTest {
    static final String ACCOUNT = "111122223333";
    static final ScanError LIST_BUCKETS_DENIED = new ScanError(Cloud.AWS, ACCOUNT, "global", "storage.bucket",
            "Access Denied (Service: S3, Status Code: 403)", "AccessDenied");

    static Resource resource(Cloud cloud, String account, String region, String type, String id) {
        ObjectNode a = ModelJson.mapper().createObjectNode().put("versioning", true);
        return Resource.builder().cloud(cloud).account(account).region(region).type(type).id(id).attributes(a)
                .build();
    }

    static final Resource USER = resource(Cloud.AWS, ACCOUNT, "global", "identity.user",
            "arn:aws:iam::111122223333:user/alice");

    @Test
    void aTerraformBucketKeyedToItsRegionIsNotComparedWhenListBucketsFailed() {
        // aws_s3_bucket in a state: its region, no account (the ARN arn:aws:s3:::NAME names none)
        Resource declared = resource(Cloud.AWS, "", "eu-west-1", "storage.bucket", "arn:aws:s3:::cw-logs");
        Snapshot observed = Snapshot.of(Instant.EPOCH, List.of(USER), List.of(LIST_BUCKETS_DENIED));

        DriftReport r = new DriftEngine().compareToBaseline(List.of(declared, USER), observed, IgnoreRules.none(),
                List.of());

        assertThat(r.ofKind(ResourceDrift.Kind.MISSING)).isEmpty();
        assertThat(r.notCompared()).singleElement().satisfies(n -> {
            assertThat(n.address()).isEqualTo("aws:storage.bucket:arn:aws:s3:::cw-logs");
            assertThat(n.reason()).contains("aws 111122223333/global/storage.bucket").contains("AccessDenied");
        });
        assertThat(r.unread()).containsExactly(LIST_BUCKETS_DENIED);
    }

    @Test
    void diffAgainstACompleteScanRemovesNoBucketOfAnUnreadListing() {
        Resource east = resource(Cloud.AWS, ACCOUNT, "us-east-1", "storage.bucket", "arn:aws:s3:::a");
        Resource west = resource(Cloud.AWS, ACCOUNT, "eu-west-1", "storage.bucket", "arn:aws:s3:::b");
        Snapshot complete = Snapshot.of(Instant.EPOCH, List.of(east, west, USER), List.of());
        Snapshot partial = Snapshot.of(Instant.EPOCH.plusSeconds(60), List.of(USER), List.of(LIST_BUCKETS_DENIED));

        DriftReport r = new DriftEngine().compareSnapshots(complete, partial, IgnoreRules.none(), Map.of());

        assertThat(r.drift()).isEmpty();
        assertThat(r.notCompared()).hasSize(2);
        assertThat(r.unread()).containsExactly(LIST_BUCKETS_DENIED);
    }

    @Test
    void aCopyKeptFromAnEarlierScanInsideAnUnreadScopeIsNotCompared() {
        Resource east = resource(Cloud.AWS, ACCOUNT, "us-east-1", "storage.bucket", "arn:aws:s3:::a");
        Snapshot complete = Snapshot.of(Instant.EPOCH, List.of(east, USER), List.of());
        // what the scan use case saves: the previous copy kept, the unread scope named
        Snapshot latest = Snapshot.of(Instant.EPOCH.plusSeconds(60), List.of(east, USER), List.of(LIST_BUCKETS_DENIED));

        DriftReport r = new DriftEngine().compareSnapshots(complete, latest, IgnoreRules.none(), Map.of());

        assertThat(r.drift()).isEmpty();
        assertThat(r.managed()).as("only the user was compared").isEqualTo(1);
        assertThat(r.notCompared()).singleElement().satisfies(n -> assertThat(n.reason()).contains("earlier scan"));
    }

    @Test
    void anAccountWideInventoryShardCoversEveryLocation() {
        String sub = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
        String id = "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/logs";
        // azurerm: the subscription as the state spells it, the location as declared
        Resource declared = resource(Cloud.AZURE, sub.toUpperCase(), "westeurope", "storage.bucket", id);
        ScanError graphFailed = new ScanError(Cloud.AZURE, sub, "*", "storage.bucket", "502", "502");

        DriftReport r = new DriftEngine().compareToBaseline(List.of(declared),
                Snapshot.of(Instant.EPOCH, List.of(), List.of(graphFailed)), IgnoreRules.none(), List.of());

        assertThat(r.drift()).isEmpty();
        assertThat(r.notCompared()).hasSize(1);
    }

    @Test
    void aRegionalShardCoversOnlyItsRegionAndItsAccount() {
        ScanError ec2 = new ScanError(Cloud.AWS, ACCOUNT, "us-east-1", "network.firewall", "x", "Throttling");

        assertThat(ec2.covers(resource(Cloud.AWS, ACCOUNT, "us-east-1", "network.firewall", "sg-1"))).isTrue();
        assertThat(ec2.covers(resource(Cloud.AWS, "", "us-east-1", "network.firewall", "sg-1"))).isTrue();
        assertThat(ec2.covers(resource(Cloud.AWS, ACCOUNT, "eu-west-1", "network.firewall", "sg-1"))).isFalse();
        assertThat(ec2.covers(resource(Cloud.AWS, "999999999999", "us-east-1", "network.firewall", "sg-1")))
                .isFalse();
        assertThat(ec2.covers(resource(Cloud.AWS, ACCOUNT, "us-east-1", "compute.instance", "i-1"))).isFalse();
        assertThat(ec2.covers(resource(Cloud.GCP, ACCOUNT, "us-east-1", "network.firewall", "sg-1"))).isFalse();
    }

    @Test
    void reportsNameTheUnreadScopes() throws Exception {
        Snapshot observed = Snapshot.of(Instant.EPOCH, List.of(USER), List.of(LIST_BUCKETS_DENIED));
        DriftReport r = new DriftEngine().compareToBaseline(List.of(USER,
                resource(Cloud.AWS, "", "eu-west-1", "storage.bucket", "arn:aws:s3:::cw-logs")), observed,
                IgnoreRules.none(), List.of());

        for (var fmt : List.of(io.cloudwarden.engine.report.ReportFormat.TABLE,
                io.cloudwarden.engine.report.ReportFormat.MARKDOWN, io.cloudwarden.engine.report.ReportFormat.JSON)) {
            java.io.StringWriter w = new java.io.StringWriter();
            io.cloudwarden.engine.report.DriftReportWriter.write(r, fmt, w);
            assertThat(w.toString()).as(fmt.id()).contains("111122223333").contains("storage.bucket")
                    .contains("AccessDenied");
        }
        java.io.StringWriter md = new java.io.StringWriter();
        io.cloudwarden.engine.report.DriftReportWriter.write(r, io.cloudwarden.engine.report.ReportFormat.MARKDOWN,
                md);
        assertThat(md.toString()).contains("**Partial:** 1 scope was not read").contains("## Unread scopes (1)");
    }
}
