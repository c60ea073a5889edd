package io.cloudwarden.local.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.model.Cloud;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxServerTest {
    @TempDir
    Path dir;

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder publicAccessBlock(SandboxServer s) {
        return HttpRequest.newBuilder(URI.create(s.httpUrl() + "/cw-public-assets?publicAccessBlock="));
    }

    @Test
    void aRemediationRequestChangesTheServedEstateAndTheChangeSurvivesARestart() throws Exception {
        try (SandboxServer s = SandboxServer.start(dir)) {
            assertThat(send(publicAccessBlock(s).GET()).statusCode()).isEqualTo(404);

            HttpResponse<String> put = send(publicAccessBlock(s).PUT(HttpRequest.BodyPublishers.ofString(
                    "<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls>"
                            + "</PublicAccessBlockConfiguration>")));

            assertThat(put.statusCode()).isEqualTo(200);
            assertThat(s.scenarioStates()).containsEntry("bucket-cw-public-assets", "blocked")
                    .containsEntry("bucket-cw-legacy-acl", "Started");
        }
        assertThat(Files.readString(dir.resolve("scenarios.json"))).contains("\"bucket-cw-public-assets\": \"blocked\"");

        try (SandboxServer again = SandboxServer.start(dir)) {
            HttpResponse<String> get = send(publicAccessBlock(again).GET());

            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).contains("<RestrictPublicBuckets>true</RestrictPublicBuckets>");
        }
    }

    @Test
    void aChangeIsSavedAsItIsServedSoARunKilledMidwayDoesNotApplyItAgain() throws Exception {
        SandboxServer killed = SandboxServer.start(dir);
        try {
            send(publicAccessBlock(killed).GET());
            assertThat(dir.resolve("scenarios.json")).as("a read changes nothing and writes nothing").doesNotExist();

            assertThat(send(publicAccessBlock(killed).PUT(HttpRequest.BodyPublishers.ofString(
                    "<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls>"
                            + "</PublicAccessBlockConfiguration>"))).statusCode()).isEqualTo(200);

            // no close(): the next run starts while the first never shut down cleanly
            try (SandboxServer next = SandboxServer.start(dir)) {
                assertThat(next.scenarioStates()).containsEntry("bucket-cw-public-assets", "blocked");
                HttpResponse<String> get = send(publicAccessBlock(next).GET());
                assertThat(get.statusCode()).isEqualTo(200);
                assertThat(get.body()).contains("<RestrictPublicBuckets>true</RestrictPublicBuckets>");
            }
        } finally {
            killed.close();
        }
    }

    @Test
    void savedStatesTheEstateNoLongerKnowsStartOver() throws Exception {
        Files.writeString(dir.resolve("scenarios.json"), "{\"scenarios\": {\"bucket-cw-public-assets\": \"melted\","
                + " \"no-such-scenario\": \"blocked\", \"kms-app-key\": \"rotating\"}}");

        try (SandboxServer s = SandboxServer.start(dir)) {
            assertThat(s.scenarioStates()).containsEntry("bucket-cw-public-assets", "Started")
                    .containsEntry("kms-app-key", "rotating").doesNotContainKey("no-such-scenario");
        }
    }

    @Test
    void aCorruptScenariosFileIsRejectedNamingTheFileAndField() throws Exception {
        Files.writeString(dir.resolve("scenarios.json"), "{\"scenarios\": {\"kms-app-key\": 3}}");

        assertThatThrownBy(() -> SandboxServer.start(dir)).isInstanceOf(SandboxException.class)
                .hasMessageContaining(dir.resolve("scenarios.json").toString())
                .hasMessageContaining("scenarios.kms-app-key").hasMessageContaining("expected a state name");

        Files.writeString(dir.resolve("scenarios.json"), "{not json");
        assertThatThrownBy(() -> SandboxServer.start(dir)).isInstanceOf(SandboxException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void everyServedCloudIsPointedAtTheServerWithDummyCredentials() {
        try (SandboxServer s = SandboxServer.start(dir)) {
            assertThat(s.clouds()).containsExactly(Cloud.AWS, Cloud.AZURE, Cloud.GCP);
            assertThat(s.config())
                    .containsEntry("cloudwarden.aws.endpoint", "http://127.0.0.1:" + s.httpPort())
                    .containsEntry("cloudwarden.aws.accounts", SandboxServer.AWS_ACCOUNT)
                    .containsEntry("cloudwarden.gcp.endpoint", "http://127.0.0.1:" + s.httpPort())
                    .containsEntry("cloudwarden.gcp.accounts", SandboxServer.GCP_PROJECT)
                    .containsEntry("cloudwarden.azure.endpoint", "https://127.0.0.1:" + s.httpsPort())
                    .containsEntry("cloudwarden.azure.accounts", SandboxServer.AZURE_SUBSCRIPTION)
                    .doesNotContainKeys("cloudwarden.azure.clientSecret", "cloudwarden.gcp.credentialsFile");
            assertThat(s.terraformStates()).extracting(p -> p.getFileName().toString())
                    .containsExactly("aws.tfstate", "azure.tfstate", "gcp.tfstate");
            assertThat(s.terraformStates()).allSatisfy(p -> assertThat(p).startsWith(dir).isRegularFile());
        }
    }

    @Test
    void theRecordedEventsReplayInIndexOrder() {
        assertThat(SandboxServer.events()).extracting(e -> e.cloud().id() + " " + e.name()).containsExactly(
                "aws aws/01-delete-public-access-block.json", "aws aws/02-put-bucket-policy.json",
                "aws aws/03-disable-key-rotation.json", "aws aws/04-authorize-ssh-from-anywhere.json",
                "azure azure/01-storage-account-write.json", "gcp gcp/01-firewall-insert-ssh-anywhere.json");
        assertThat(SandboxServer.events().get(1).envelope().at("/detail/eventName").asText())
                .isEqualTo("PutBucketPolicy");
    }

    private static HttpRequest.Builder ssm(SandboxServer s, String target, String body) {
        return HttpRequest.newBuilder(URI.create(s.httpUrl() + "/")).header("X-Amz-Target", "AmazonSSM." + target)
                .header("Content-Type", "application/x-amz-json-1.1").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static com.fasterxml.jackson.databind.JsonNode patchStates(SandboxServer s, String... ids)
            throws Exception {
        String list = String.join(",", java.util.Arrays.stream(ids).map(i -> "\"" + i + "\"").toList());
        HttpResponse<String> r = send(ssm(s, "DescribeInstancePatchStates", "{\"InstanceIds\":[" + list
                + "],\"MaxResults\":50}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return io.cloudwarden.model.ModelJson.mapper().readTree(r.body()).path("InstancePatchStates");
    }

    @Test
    void thePatchEstateFollowsEachInstallAndTimesAreRelativeToTheRequest() throws Exception {
        String app1 = "i-0a11aa00000000001";
        String app2 = "i-0a11aa00000000002";
        try (SandboxServer s = SandboxServer.start(dir)) {
            long today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).atStartOfDay(java.time.ZoneOffset.UTC)
                    .toEpochSecond();
            com.fasterxml.jackson.databind.JsonNode before = patchStates(s, app1);
            assertThat(before).hasSize(1);
            assertThat(before.get(0).path("CriticalNonCompliantCount").asInt()).isEqualTo(3);
            // assessed yesterday (midnight UTC: stable across the scans of a day), whatever day it is: the 7-day
            // stale rule does not fire
            assertThat(before.get(0).path("OperationEndTime").asLong()).isEqualTo(today - 86_400);

            String send = "{\"DocumentName\":\"AWS-RunPatchBaseline\",\"InstanceIds\":[\"%s\"]}";
            assertThat(send(ssm(s, "SendCommand", send.formatted(app1))).statusCode()).isEqualTo(200);
            assertThat(s.scenarioStates()).containsEntry("aws-patch", "app-1");
            com.fasterxml.jackson.databind.JsonNode after = patchStates(s, app1).get(0);
            assertThat(after.path("CriticalNonCompliantCount").asInt()).isZero();
            assertThat(after.path("Operation").asText()).isEqualTo("Install");
            assertThat(after.path("OperationEndTime").asLong()).isEqualTo(today);

            // app-2's install runs, but a critical patch is still missing on the re-read (the planted halt)
            assertThat(send(ssm(s, "SendCommand", send.formatted(app2))).statusCode()).isEqualTo(200);
            assertThat(patchStates(s, app2).get(0).path("CriticalNonCompliantCount").asInt()).isEqualTo(1);
            // the scan's bulk read shows both, among every managed node (the patch estate's five and the three
            // members of the Auto Scaling group cw-sandbox-workers)
            com.fasterxml.jackson.databind.JsonNode all = patchStates(s, app1, app2, "i-0abc1234def567890");
            assertThat(all).hasSize(8);
            java.util.Map<String, Integer> critical = new java.util.TreeMap<>();
            all.forEach(n -> critical.put(n.path("InstanceId").asText(), n.path("CriticalNonCompliantCount").asInt()));
            assertThat(critical).containsEntry(app1, 0).containsEntry(app2, 1).containsEntry("i-0abc1234def567890", 2);
        }
        assertThat(Files.readString(dir.resolve("scenarios.json"))).contains("\"aws-patch\": \"app-2\"");
    }
}
