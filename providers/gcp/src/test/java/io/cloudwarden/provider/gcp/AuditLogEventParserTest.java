package io.cloudwarden.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.ParsedEvents;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceEvent;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.gcp.events.AuditLogEventParser;
import java.io.InputStream;
import io.cloudwarden.provider.gcp.kms.key.KmsKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditLogEventParserTest {
    final AuditLogEventParser parser = new AuditLogEventParser();

    static JsonNode event(String name) throws Exception {
        try (InputStream in = AuditLogEventParserTest.class.getResourceAsStream("/events/gcp/" + name)) {
            return ModelJson.mapper().readTree(in);
        }
    }

    ResourceEvent only(String fixture) throws Exception {
        JsonNode e = event(fixture);
        assertThat(parser.accepts(e)).isTrue();
        ParsedEvents parsed = parser.parse(e);
        assertThat(parsed.ignored()).isEmpty();
        assertThat(parsed.events()).hasSize(1);
        return parsed.events().get(0);
    }

    @Test
    void structuredCloudEventForBucketIamChange() throws Exception {
        ResourceEvent e = only("eventarc-structured-storage-set-iam.json");

        assertThat(e.cloud()).isEqualTo(Cloud.GCP);
        assertThat(e.type()).isEqualTo(ResourceTypes.STORAGE_BUCKET);
        assertThat(e.id()).isEqualTo("//storage.googleapis.com/cw-demo-public-assets");
        assertThat(e.account()).isEqualTo("cw-demo-prod");
        assertThat(e.region()).isEqualTo("us");
        assertThat(e.actor().id()).isEqualTo("alice@example.com");
        assertThat(e.actor().kind()).isEqualTo("user");
        assertThat(e.action()).isEqualTo("storage.googleapis.com:storage.setIamPermissions");
        assertThat(e.eventId()).isEqualTo("1x9v8kqe4m2c");
        assertThat(e.time()).isEqualTo(Instant.parse("2026-11-23T09:41:07.219823Z"));
        assertThat(e.deleted()).isFalse();
    }

    @Test
    void binaryModeCloudEventForFirewallInsert() throws Exception {
        ResourceEvent e = only("eventarc-binary-firewall-insert.json");

        assertThat(e.type()).isEqualTo(ResourceTypes.NETWORK_FIREWALL);
        assertThat(e.id()).isEqualTo("//compute.googleapis.com/projects/cw-demo-prod/global/firewalls/allow-ssh-anywhere");
        assertThat(e.region()).isEqualTo("global");
        assertThat(e.actor().kind()).isEqualTo("service");
        assertThat(e.actor().id()).isEqualTo("terraform@cw-demo-prod.iam.gserviceaccount.com");
    }

    @Test
    void pubSubPushOfASinkEntryIsDecoded() throws Exception {
        ResourceEvent e = only("pubsub-push-kms-update-crypto-key.json");

        assertThat(e.type()).isEqualTo(ResourceTypes.KMS_KEY);
        assertThat(e.id()).isEqualTo(
                "//cloudkms.googleapis.com/projects/cw-demo-prod/locations/us-central1/keyRings/compute/cryptoKeys/disks");
        assertThat(e.region()).isEqualTo("us-central1");
        assertThat(e.actor().id()).isEqualTo("bob@example.com");
        assertThat(e.eventId()).isEqualTo("kms-4f2a91c7");
    }

    @Test
    void eventarcPubSubCloudEventWrappingASinkMessageIsDecoded() throws Exception {
        ResourceEvent e = only("eventarc-pubsub-message-published.json");

        assertThat(e.type()).isEqualTo(ResourceTypes.KMS_KEY);
        assertThat(e.eventId()).as("same entry, same id, whatever the path").isEqualTo("kms-4f2a91c7");
    }

    @Test
    void firstEntryOfALongRunningOperationWaitsForTheLast() throws Exception {
        ParsedEvents parsed = parser.parse(event("eventarc-binary-firewall-insert-first.json"));

        assertThat(parsed.events()).isEmpty();
        assertThat(parsed.ignored()).singleElement().asString().contains("last entry");
    }

    @Test
    void keyCreationIsNamedByTheAccountsUniqueIdAndTheNewKeyId() throws Exception {
        ResourceEvent e = only("eventarc-structured-iam-create-key.json");

        assertThat(e.type()).isEqualTo(ResourceTypes.IDENTITY_KEY);
        assertThat(e.id()).isEqualTo("//iam.googleapis.com/projects/cw-demo-prod/serviceAccounts/"
                + "104857392018475629301/keys/3f1c2a9e8b7d6c5f4e3d2c1b0a998877");
    }

    @Test
    void binaryModeBodyMayArriveAsTheRawJsonString() throws Exception {
        var envelope = (com.fasterxml.jackson.databind.node.ObjectNode) event("eventarc-binary-firewall-insert.json");
        envelope.put("data", ModelJson.mapper().writeValueAsString(envelope.get("data")));

        assertThat(parser.parse(envelope).events()).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(ResourceTypes.NETWORK_FIREWALL));
    }

    @Test
    void failedCallIsIgnoredWithItsStatus() throws Exception {
        ParsedEvents parsed = parser.parse(event("eventarc-structured-failed-call.json"));

        assertThat(parsed.events()).isEmpty();
        assertThat(parsed.ignored()).singleElement().asString().contains("failed").contains("status code 7");
    }

    @Test
    void readOnlyMethodIsIgnored() throws Exception {
        ParsedEvents parsed = parser.parse(event("eventarc-structured-read-only.json"));

        assertThat(parsed.events()).isEmpty();
        assertThat(parsed.ignored()).singleElement().asString().contains("storage.buckets.get").contains("read-only");
    }

    @Test
    void unhandledMethodIsIgnoredWithAReason() throws Exception {
        JsonNode e = event("eventarc-binary-unhandled-method.json");
        assertThat(parser.accepts(e)).isTrue();

        ParsedEvents parsed = parser.parse(e);

        assertThat(parsed.events()).isEmpty();
        assertThat(parsed.ignored()).singleElement().asString().contains("v1.compute.networks.insert");
    }

    @Test
    void missingMethodNameIsMalformedAndNamesTheField() throws Exception {
        assertThatThrownBy(() -> parser.parse(event("malformed-missing-method.json")))
                .isInstanceOfSatisfying(EventParseException.class,
                        ex -> assertThat(ex.field()).isEqualTo("data.protoPayload.methodName"));
    }

    @Test
    void pubSubDataThatIsNotJsonIsMalformed() throws Exception {
        assertThatThrownBy(() -> parser.parse(event("malformed-pubsub-not-json.json")))
                .isInstanceOfSatisfying(EventParseException.class,
                        ex -> assertThat(ex.field()).isEqualTo("message.data"));
    }

    @Test
    void otherEnvelopesAreNotAccepted() throws Exception {
        assertThat(parser.accepts(ModelJson.mapper().readTree(
                "{\"version\":\"0\",\"id\":\"x\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.s3\"}")))
                .isFalse();
        assertThat(parser.accepts(ModelJson.mapper().readTree(
                "{\"specversion\":\"1.0\",\"type\":\"Microsoft.Resources.ResourceWriteSuccess\",\"id\":\"1\"}")))
                .isFalse();
    }

    @Test
    void entriesAreRoutedToTheTypesThatDeclaredTheirService() throws Exception {
        AuditLogEventParser keysOnly = new AuditLogEventParser(List.of(new KmsKey()));

        assertThat(keysOnly.parse(event("eventarc-structured-storage-set-iam.json")).events())
                .as("storage.googleapis.com is declared by no type of this parser").isEmpty();
        assertThat(parser.parse(event("eventarc-structured-storage-set-iam.json")).events()).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(ResourceTypes.STORAGE_BUCKET));
        assertThatThrownBy(() -> new AuditLogEventParser(List.of(new KmsKey(), new KmsKey())))
                .hasMessageContaining("cloudkms.googleapis.com CreateCryptoKey is declared by two types");
    }

    @Test
    void handledMethodsAreTheDeclaredOnesByService() {
        assertThat(AuditLogEventParser.handledMethods()).containsOnlyKeys("cloudkms.googleapis.com",
                "compute.googleapis.com", "iam.googleapis.com", "storage.googleapis.com");
        assertThat(AuditLogEventParser.handledMethods().get("iam.googleapis.com")).hasSize(9)
                .contains("google.iam.admin.v1.CreateServiceAccount", "google.iam.admin.v1.CreateServiceAccountKey");
    }
}
