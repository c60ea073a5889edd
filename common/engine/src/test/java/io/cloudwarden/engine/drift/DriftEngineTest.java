package io.cloudwarden.engine.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.AttributeChange;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.NotCompared;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceDrift;
import io.cloudwarden.model.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftEngineTest {
    private static Resource bucket(int i, boolean versioning) {
        ObjectNode a = ModelJson.mapper().createObjectNode();
        a.put("publicAccess", false).put("versioning", versioning).put("logging", true).putNull("minTlsVersion");
        a.putObject("encryption").put("enabled", true).put("keyType", "provider-managed");
        return Resource.builder().cloud(Cloud.AWS).account("111122223333").region("us-east-1")
                .type("storage.bucket").id("arn:aws:s3:::bucket-" + i).attributes(a).build();
    }

    @Test
    void notComparedBaselineEntriesAreCarriedIntoTheReport() {
        NotCompared nc = new NotCompared("prod.tfstate", "aws_lambda_function.f", "no provider maps terraform type "
                + "aws_lambda_function");
        DriftReport r = new DriftEngine().compareToBaseline(List.of(), Snapshot.of(Instant.EPOCH, List.of(), List.of()),
                IgnoreRules.none(), List.of(nc));

        assertThat(r.notCompared()).containsExactly(nc);
        assertThat(r.hasDrift()).isFalse();
    }

    private static Resource instance(String state, double cpuP95) {
        ObjectNode a = ModelJson.mapper().createObjectNode();
        a.put("state", state).putNull("publicIp").putNull("imageId").putNull("identity")
                .put("diskEncryption", true).put("metadataHardened", true).putNull("group");
        a.putObject("utilization").put("cpuAvg", cpuP95 / 2).put("cpuP95", cpuP95).put("windowDays", 7)
                .put("samples", 2016);
        return Resource.builder().cloud(Cloud.AWS).account("111122223333").region("us-east-1")
                .type("compute.instance").id("arn:aws:ec2:us-east-1:111122223333:instance/i-1").attributes(a).build();
    }

    @Test
    void utilizationIsAMeasurementNotDrift() {
        DriftReport quiet = new DriftEngine().compareSnapshots(
                Snapshot.of(Instant.EPOCH, List.of(instance("running", 12.5)), List.of()),
                Snapshot.of(Instant.EPOCH, List.of(instance("running", 97.0)), List.of()), IgnoreRules.none(), Map.of());
        assertThat(quiet.drift()).isEmpty();
        assertThat(quiet.unchanged()).isEqualTo(1);

        DriftReport stopped = new DriftEngine().compareSnapshots(
                Snapshot.of(Instant.EPOCH, List.of(instance("running", 12.5)), List.of()),
                Snapshot.of(Instant.EPOCH, List.of(instance("stopped", 0.0)), List.of()), IgnoreRules.none(), Map.of());
        assertThat(stopped.drift()).singleElement().satisfies(d -> assertThat(d.patch())
                .extracting(AttributeChange::path).containsExactly("/state"));
    }

    private static final String ASG = "arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:"
            + "7c2e4a91-3b5d-4f60-8e1a-9d0c2b4f6a81:autoScalingGroupName/workers";

    private static Resource group(int max) {
        ObjectNode a = ModelJson.mapper().createObjectNode();
        a.putObject("capacity").put("min", 2).put("max", max).put("desired", 3);
        return Resource.builder().cloud(Cloud.AWS).account("111122223333").region("us-east-1")
                .type("compute.group").id(ASG).attributes(a).build();
    }

    private static Resource member(String instanceId, String group) {
        Resource i = instance("running", 40.0);
        ObjectNode a = i.attributes().deepCopy();
        a.put("group", group);
        return i.toBuilder().id("arn:aws:ec2:us-east-1:111122223333:instance/" + instanceId).attributes(a).build();
    }

    @Test
    void membersOfAManagedGroupAreLeftToTheGroupWhoseChangesAreDrift() {
        Snapshot observed = Snapshot.of(Instant.EPOCH, List.of(member("i-1", ASG), group(10), member("i-2", ASG)),
                List.of());

        DriftReport r = new DriftEngine().compareToBaseline(List.of(group(6)), observed, IgnoreRules.none(),
                List.of());

        assertThat(r.managed()).isEqualTo(1);
        assertThat(r.drift()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(ResourceDrift.Kind.CHANGED);
            assertThat(d.resource().id()).isEqualTo(ASG);
            assertThat(d.patch()).singleElement().satisfies(c -> {
                assertThat(c.path()).isEqualTo("/capacity/max");
                assertThat(c.from().asInt()).isEqualTo(6);
                assertThat(c.value().asInt()).isEqualTo(10);
            });
        });
        assertThat(r.notCompared()).extracting(NotCompared::source).containsOnly(DriftEngine.GROUP_MEMBERS_SOURCE);
        assertThat(r.notCompared()).extracting(NotCompared::address).containsExactly(
                "aws:compute.instance:arn:aws:ec2:us-east-1:111122223333:instance/i-1",
                "aws:compute.instance:arn:aws:ec2:us-east-1:111122223333:instance/i-2");
        assertThat(r.notCompared()).extracting(NotCompared::reason)
                .allMatch(m -> m.contains(ASG) && m.contains("which the baseline manages"));
    }

    @Test
    void membersOfAnUnmanagedGroupAreNotUnmanagedThemselvesOnlyTheGroupIs() {
        Resource loose = instance("running", 10.0);
        Snapshot observed = Snapshot.of(Instant.EPOCH, List.of(member("i-2", ASG), group(6), loose), List.of());

        DriftReport r = new DriftEngine().compareToBaseline(List.of(), observed, IgnoreRules.none(), List.of());

        assertThat(r.drift()).extracting(d -> d.resource().id()).containsExactly(ASG, loose.id());
        assertThat(r.drift()).extracting(ResourceDrift::kind).containsOnly(ResourceDrift.Kind.UNMANAGED);
        assertThat(r.notCompared()).singleElement().satisfies(n -> {
            assertThat(n.address()).endsWith("instance/i-2");
            assertThat(n.reason()).contains("does not hold (reported unmanaged)");
        });
    }

    @Test
    void aGroupMemberTheBaselineDeclaresIsComparedAndSnapshotsStillShowNewMembers() {
        Resource declared = member("i-1", ASG);
        DriftReport baseline = new DriftEngine().compareToBaseline(List.of(declared),
                Snapshot.of(Instant.EPOCH, List.of(declared), List.of()), IgnoreRules.none(), List.of());
        assertThat(baseline.managed()).isEqualTo(1);
        assertThat(baseline.notCompared()).isEmpty();

        DriftReport scaledOut = new DriftEngine().compareSnapshots(Snapshot.of(Instant.EPOCH, List.of(), List.of()),
                Snapshot.of(Instant.EPOCH, List.of(member("i-2", ASG)), List.of()), IgnoreRules.none(), Map.of());
        assertThat(scaledOut.drift()).extracting(ResourceDrift::kind).containsExactly(ResourceDrift.Kind.UNMANAGED);
    }

    @Test
    void duplicateObservationsOfOneResourceCountOnce() {
        Resource b = bucket(1, true);
        DriftReport r = new DriftEngine().compareSnapshots(Snapshot.of(Instant.EPOCH, List.of(b), List.of()),
                Snapshot.of(Instant.EPOCH, List.of(b, b), List.of()), IgnoreRules.none(), Map.of());

        assertThat(r.managed()).isEqualTo(1);
        assertThat(r.drift()).isEmpty();
    }

    @Test
    void aHundredThousandResourcesAreMatchedAndDiffedCorrectly() {
        int n = 100_000;
        List<Resource> expected = new ArrayList<>(n);
        List<Resource> observed = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            expected.add(bucket(i, true));
            // every 100th changed, every 1000th missing, plus 10 unmanaged
            if (i % 1000 != 999) {
                observed.add(bucket(i, i % 100 != 0));
            }
        }
        for (int i = n; i < n + 10; i++) {
            observed.add(bucket(i, true));
        }
        java.util.Collections.reverse(observed);

        DriftReport r = new DriftEngine().compareToBaseline(expected, Snapshot.of(Instant.EPOCH, observed, List.of()),
                IgnoreRules.none(), List.of());

        assertThat(r.ofKind(ResourceDrift.Kind.MISSING)).hasSize(100);
        assertThat(r.ofKind(ResourceDrift.Kind.UNMANAGED)).hasSize(10);
        assertThat(r.ofKind(ResourceDrift.Kind.CHANGED)).hasSize(1000)
                .allSatisfy(d -> assertThat(d.patch()).extracting(AttributeChange::path).containsExactly("/versioning"));
        assertThat(r.managed()).isEqualTo(n - 100);
        assertThat(r.unchanged()).isEqualTo(n - 100 - 1000);
        List<String> ids = r.ofKind(ResourceDrift.Kind.CHANGED).stream().map(d -> d.resource().id()).toList();
        assertThat(ids).isSorted();
    }

    @Test
    void aStreamedComparisonGivesTheWholeSnapshotsReport() {
        List<Resource> expected = new ArrayList<>();
        List<Resource> observed = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            expected.add(bucket(i, true));
            if (i % 50 != 49) { // missing
                observed.add(bucket(i, i % 10 != 0)); // changed
            }
        }
        observed.add(bucket(1000, true)); // unmanaged
        observed.add(bucket(3, true)); // a duplicate, counted once
        observed.add(bucket(7, true).toBuilder().id("arn:aws:s3:::ignored-7").build()); // ignored
        IgnoreRules ignore = IgnoreRules.parse("aws:storage.bucket:arn:aws:s3:::ignored-*\n", "test");
        NotCompared carried = new NotCompared("prod.tfstate", "aws_lambda_function.f", "not mapped");
        java.time.Clock clock = java.time.Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), java.time.ZoneOffset.UTC);

        DriftReport whole = new DriftEngine(clock).compareToBaseline(expected,
                Snapshot.of(Instant.EPOCH, observed, List.of()), ignore, List.of(carried));
        DriftEngine.Streamed streamed = new DriftEngine(clock).streamAgainstBaseline(expected, ignore, List.of(carried));
        observed.forEach(streamed);

        assertThat(streamed.finish(List.of())).contains(whole);
        assertThat(whole.ofKind(ResourceDrift.Kind.CHANGED)).hasSize(50);
        assertThat(whole.ofKind(ResourceDrift.Kind.MISSING)).hasSize(10);
        assertThat(whole.ofKind(ResourceDrift.Kind.UNMANAGED)).hasSize(1);
        assertThat(whole.ignored()).isEqualTo(1);
    }

    @Test
    void aStreamedComparisonOfAPartialSnapshotLeavesItToTheWholeComparison() {
        DriftEngine.Streamed streamed = new DriftEngine().streamAgainstBaseline(List.of(bucket(1, true)),
                IgnoreRules.none(), List.of());
        streamed.accept(bucket(2, true));

        // which resources lie in the unread scope is known only now: the caller compares the whole snapshot
        assertThat(streamed.finish(List.of(new io.cloudwarden.model.ScanError(Cloud.AWS, "111122223333", "us-east-1",
                "storage.bucket", "AccessDenied", "AccessDenied")))).isEmpty();
    }
}
