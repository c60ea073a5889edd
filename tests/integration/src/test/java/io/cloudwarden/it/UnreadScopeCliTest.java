package io.cloudwarden.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.cloudwarden.model.ModelJson;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The estate: the recorded sandbox AWS account served by WireMock to the real SDK clients, with
 * {@code s3:ListAllMyBuckets} denied. The scan lists the unread {@code storage.bucket} scope (region {@code global})
 * and exits 3; drift against the Terraform state, live drift and diff against a complete scan must then report the
 * buckets as "not compared" and name the unread scope — never as missing or removed.
 */
class UnreadScopeCliTest {
    static final String SCOPE = "aws 111122223333/global/storage.bucket";

    @TempDir
    Path dir;

    WireMockServer aws;
    Path config;
    Path state;
    Path tfstate;

    @BeforeEach
    void serveTheRecordedAccount() throws Exception {
        aws = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .usingFilesUnderClasspath("sandbox/recorded"));
        aws.start();
        config = dir.resolve("cloudwarden.properties");
        Files.writeString(config, String.join("\n",
                "cloudwarden.aws.endpoint=http://127.0.0.1:" + aws.port(),
                "cloudwarden.aws.accounts=111122223333",
                "cloudwarden.aws.regions=us-east-1",
                "cloudwarden.aws.region=us-east-1",
                "cloudwarden.aws.accessKeyId=AKIATEST000000000000",
                "cloudwarden.aws.secretAccessKey=test-only-not-a-secret",
                "cloudwarden.aws.maxAttempts=1",
                "cloudwarden.aws.retryBaseDelayMs=0", ""));
        state = dir.resolve("state");
        tfstate = dir.resolve("aws.tfstate");
        try (InputStream in = getClass().getResourceAsStream("/sandbox/terraform/aws.tfstate")) {
            Files.copy(in, tfstate);
        }
    }

    @AfterEach
    void stop() {
        aws.stop();
    }

    StubMapping denyListBuckets() {
        return aws.stubFor(get(urlPathEqualTo("/")).atPriority(1).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/xml")
                .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>"
                        + "<Message>Access Denied</Message><RequestId>R1</RequestId></Error>")));
    }

    CliRun cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString(), "--state-dir", state.toString()));
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void driftAgainstTerraformReportsTheUnreadBucketsAsNotComparedAndNamesTheScope() throws Exception {
        denyListBuckets();
        Path partial = dir.resolve("partial.json");
        CliRun scan = cli("scan", "--cloud", "aws", "--out", partial.toString());
        assertThat(scan.code()).as(scan.err()).isEqualTo(3);
        assertThat(scan.out()).contains("unread: aws 111122223333 global storage.bucket");

        CliRun drift = CliRun.of("drift", "--baseline", tfstate.toString(), "--snapshot", partial.toString(),
                "--format", "json", "--state-dir", state.toString());
        JsonNode report = ModelJson.mapper().readTree(drift.out());
        List<String> missing = new ArrayList<>();
        report.get("drift").forEach(d -> {
            if (d.get("kind").asText().equals("missing")) {
                missing.add(d.at("/resource/id").asText());
            }
        });
        assertThat(missing).noneMatch(id -> id.startsWith("arn:aws:s3:::"));
        List<String> notCompared = new ArrayList<>();
        report.get("notCompared").forEach(n -> notCompared.add(n.get("address").asText()));
        assertThat(notCompared).contains("aws:storage.bucket:arn:aws:s3:::cw-public-assets",
                "aws:storage.bucket:arn:aws:s3:::cw-secure-logs");
        assertThat(report.at("/unread/0/type").asText()).isEqualTo("storage.bucket");
        assertThat(report.at("/unread/0/code").asText()).isEqualTo("AccessDenied");
        assertThat(drift.err()).contains("warning: 1 scope(s) not read (" + SCOPE + ")");

        CliRun live = cli("drift", "--cloud", "aws", "--baseline", tfstate.toString());
        assertThat(live.out()).doesNotContainPattern("missing\\s+aws\\s+storage\\.bucket")
                .contains("unread: " + SCOPE + " (AccessDenied) — not compared");
        assertThat(live.err()).contains("warning: 1 scope(s) not read (" + SCOPE + ")");

        CliRun markdown = CliRun.of("drift", "--baseline", tfstate.toString(), "--snapshot", partial.toString(),
                "--format", "markdown", "--state-dir", state.toString());
        assertThat(markdown.out()).contains("**Partial:** 1 scope was not read").contains("`" + SCOPE + "`");
    }

    @Test
    void diffAgainstACompleteScanRemovesNoBucketOfTheUnreadListing() throws Exception {
        Path complete = dir.resolve("complete.json");
        assertThat(cli("scan", "--cloud", "aws", "--out", complete.toString()).code()).isZero();
        denyListBuckets();
        Path partial = dir.resolve("partial.json");
        assertThat(cli("scan", "--cloud", "aws", "--out", partial.toString()).code()).isEqualTo(3);

        CliRun diff = CliRun.of("diff", complete.toString(), partial.toString(), "--format", "json");
        JsonNode report = ModelJson.mapper().readTree(diff.out());
        assertThat(report.get("drift")).as("nothing removed, added or modified").isEmpty();
        assertThat(report.get("notCompared")).hasSize(3);
        assertThat(diff.code()).as("partial").isEqualTo(3);

        CliRun table = CliRun.of("diff", complete.toString(), partial.toString());
        assertThat(table.out()).contains("0 removed").contains("3 not compared")
                .contains("unread: " + SCOPE + " (AccessDenied)");
    }
}
