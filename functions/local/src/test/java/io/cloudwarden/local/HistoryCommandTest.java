package io.cloudwarden.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.scan.ScanListener;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.state.FileSystemStateStore;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.functions.Detector;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.testkit.InMemoryProvider;
import io.cloudwarden.testkit.MutableClock;
import io.cloudwarden.testkit.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real scans of an in-memory estate into a state directory, then {@code cloudwarden history}: a public bucket
 * appears, persists and is fixed (resolved); another public bucket, in a region whose shard the third scan could not
 * read, stays open with the second scan as its last sighting.
 */
class HistoryCommandTest {
    static final String RULE = "storage-no-public-access";
    static final String SITE = "arn:aws:s3:::site";
    static final String LOGS = "arn:aws:s3:::logs";
    static final Instant T1 = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path state;

    @BeforeEach
    void threeScans() {
        InMemoryProvider estate = InMemoryProvider.aws();
        Resource logs = Resources.awsBucket("logs", true).toBuilder().region("eu-west-1").build();
        estate.put(Resources.awsBucket("site", true)).put(logs);
        MutableClock clock = new MutableClock(T1);
        try (Cloudwarden cw = new Cloudwarden(CoreConfig.of(Map.of()), ProviderRegistry.of(List.of(estate)),
                new FileSystemStateStore(state), clock)) {
            Detector detector = new Detector(cw, request -> { });
            detector.scan(List.of(Cloud.AWS), Set.of(), "t1", Actor.SYSTEM, ScanListener.NONE);
            clock.advance(Duration.ofDays(1));
            detector.scan(List.of(Cloud.AWS), Set.of(), "t2", Actor.SYSTEM, ScanListener.NONE);
            clock.advance(Duration.ofDays(1));
            estate.put(Resources.awsBucket("site", false));
            estate.failShard("111122223333", "eu-west-1", "storage.bucket",
                    new ProviderException(Cloud.AWS, "s3:ListBuckets", "AccessDenied", false, "denied"));
            detector.scan(List.of(Cloud.AWS), Set.of(), "t3", Actor.SYSTEM, ScanListener.NONE);
        }
    }

    @Test
    void theFixedFindingIsResolvedAndTheUnreadOneStaysOpen() {
        SandboxOptionsTest.Run run = SandboxOptionsTest.cli("history", "--rule", RULE, "--state-dir",
                state.toString());

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
        String[] blocks = run.out().split("\n(?=f-)");
        assertThat(blocks).hasSize(2);
        String logs = blocks[0].contains(LOGS) ? blocks[0] : blocks[1];
        String site = blocks[0].contains(SITE) ? blocks[0] : blocks[1];
        assertThat(site).contains("first seen 2026-11-23T10:00:00Z, last seen 2026-11-24T10:00:00Z,"
                + " resolved 2026-11-25T10:00:00Z; seen 2 times");
        assertThat(site.lines().skip(2).map(String::strip).map(l -> l.replaceAll(" +", " ")).toList()).containsExactly(
                "2026-11-23T10:00:00Z opened scan:t1",
                "2026-11-24T10:00:00Z seen scan:t2",
                "2026-11-25T10:00:00Z resolved scan:t3");
        assertThat(logs).contains("last seen 2026-11-24T10:00:00Z, open; seen 2 times").doesNotContain("resolved");
    }

    @Test
    void jsonFiltersByResourceAndRuleAndCarriesTheDates() throws Exception {
        SandboxOptionsTest.Run all = SandboxOptionsTest.cli("history", "--resource", LOGS, "--format", "json",
                "--state-dir", state.toString());
        assertThat(ModelJson.mapper().readTree(all.out()).path("findings")).as("every rule failing on logs")
                .hasSizeGreaterThan(1).allSatisfy(f -> assertThat(f.path("resource").path("id").asText())
                        .isEqualTo(LOGS));

        SandboxOptionsTest.Run run = SandboxOptionsTest.cli("history", "--resource", LOGS, "--rule", RULE,
                "--format", "json", "--state-dir", state.toString());

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
        JsonNode doc = ModelJson.mapper().readTree(run.out());
        assertThat(doc.path("schema").asText()).isEqualTo("cloudwarden/history/v1");
        assertThat(doc.path("resource").asText()).isEqualTo(LOGS);
        assertThat(doc.path("findings")).hasSize(1);
        JsonNode logs = doc.path("findings").get(0);
        assertThat(logs.path("ruleId").asText()).isEqualTo(RULE);
        assertThat(logs.path("resource").path("id").asText()).isEqualTo(LOGS);
        assertThat(logs.path("firstSeen").asText()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(logs.path("lastSeen").asText()).isEqualTo("2026-11-24T10:00:00Z");
        assertThat(logs.has("resolvedAt")).isTrue();
        assertThat(logs.path("resolvedAt").isNull()).isTrue();
        assertThat(logs.path("seenIn")).extracting(s -> s.path("source").asText())
                .containsExactly("scan:t1", "scan:t2");
    }

    @Test
    void aFilterThatMatchesNothingSaysSo() {
        SandboxOptionsTest.Run run = SandboxOptionsTest.cli("history", "--rule", "no-such-rule", "--state-dir",
                state.toString());

        assertThat(run.code()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).startsWith("no finding history for rule no-such-rule in ");
    }
}
