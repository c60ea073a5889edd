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
}
