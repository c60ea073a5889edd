package io.cloudwarden.provider.azure;

import static io.cloudwarden.provider.azure.RecordedArm.NSG;
import static io.cloudwarden.provider.azure.RecordedArm.SUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.ParsedEvents;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceEvent;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.azure.events.EventGridEventParser;
import java.io.InputStream;
import io.cloudwarden.provider.azure.kms.key.KmsKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventGridEventParserTest {
    private final EventGridEventParser parser = new EventGridEventParser();

    private static JsonNode event(String name) throws Exception {
        try (InputStream in = EventGridEventParserTest.class.getResourceAsStream("/events/azure/" + name)) {
            return ModelJson.mapper().readTree(in);
        }
    }

    @Test
    void eventGridSchemaArrayYieldsResourceEventsWithActors() throws Exception {
        JsonNode envelope = event("eventgrid-write-and-delete.json");
        assertThat(parser.accepts(envelope)).isTrue();

        ParsedEvents parsed = parser.parse(envelope);

        assertThat(parsed.events()).hasSize(2);
        ResourceEvent write = parsed.events().get(0);
        assertThat(write.type()).isEqualTo(ResourceTypes.STORAGE_BUCKET);
        assertThat(write.id()).isEqualTo(RecordedArm.ACCOUNT_LOGS);
        assertThat(write.account()).isEqualTo(SUB);
        assertThat(write.action()).isEqualTo("Microsoft.Storage/storageAccounts/write");
        assertThat(write.eventId()).isEqualTo("4b5c6d7e-8f90-4a1b-b2c3-d4e5f6a7b8c9");
        assertThat(write.time()).isEqualTo(Instant.parse("2026-11-23T10:05:12.4381652Z"));
        assertThat(write.deleted()).isFalse();
        assertThat(write.actor().kind()).isEqualTo("user");
        assertThat(write.actor().name()).isEqualTo("ada@contoso.example");
        assertThat(write.actor().id()).isEqualTo("1f2e3d4c-5b6a-4798-8776-655443322110");

        // deleting a rule changes its NSG: the event names the NSG and the NSG itself is not deleted
        ResourceEvent ruleDelete = parsed.events().get(1);
        assertThat(ruleDelete.type()).isEqualTo(ResourceTypes.NETWORK_FIREWALL);
        assertThat(ruleDelete.id()).isEqualTo(NSG);
        assertThat(ruleDelete.deleted()).isFalse();
        assertThat(ruleDelete.actor().kind()).isEqualTo("service");
        assertThat(ruleDelete.actor().via()).isEqualTo("appid:3c4d5e6f-7a8b-4c9d-0e1f-2a3b4c5d6e7f");

        assertThat(parsed.ignored()).singleElement().asString().contains("Microsoft.Web/sites/cw-func");
    }

    @Test
    void cloudEventsSchemaIsParsedLikeTheEventGridSchema() throws Exception {
        JsonNode envelope = event("cloudevent-action.json");
        assertThat(parser.accepts(envelope)).isTrue();

        ResourceEvent e = parser.parse(envelope).events().get(0);

        assertThat(e.type()).isEqualTo(ResourceTypes.COMPUTE_INSTANCE);
        assertThat(e.id()).isEqualTo(RecordedArm.VM);
        assertThat(e.action()).isEqualTo("Microsoft.Compute/virtualMachines/deallocate/action");
        assertThat(e.time()).isEqualTo(Instant.parse("2026-11-23T10:08:30.55Z"));
        assertThat(e.actor().id()).isEqualTo("5e4d3c2b-1a09-48f7-a6b5-c4d3e2f1a0b9");
        assertThat(e.actor().kind()).isEqualTo("service");
    }

    @Test
    void validationHandshakeIsAnsweredAndIsNeverAResourceEvent() throws Exception {
        ParsedEvents parsed = parser.parse(event("validation.json"));

        assertThat(parsed.events()).isEmpty();
        assertThat(parsed.reply()).hasValueSatisfying(r -> assertThat(r.toString())
                .isEqualTo("{\"validationResponse\":\"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\"}"));
    }

    @Test
    void failedOperationsAreIgnoredWithAReason() throws Exception {
        ParsedEvents parsed = parser.parse(event("eventgrid-failure.json"));

        assertThat(parsed.events()).isEmpty();
        assertThat(parsed.ignored()).singleElement().asString().contains("ResourceWriteFailure")
                .contains("did not succeed");
    }

    @Test
    void deletingTheResourceItselfMarksTheEventDeleted() throws Exception {
        JsonNode envelope = event("eventgrid-write-and-delete.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) envelope.get(1).get("data")).put("resourceUri", NSG);

        assertThat(parser.parse(envelope).events().get(1).deleted()).isTrue();
    }

    @Test
    void malformedEventNamesTheMissingField() throws Exception {
        JsonNode envelope = event("malformed-no-subject.json");
        assertThat(parser.accepts(envelope)).isTrue();

        assertThatThrownBy(() -> parser.parse(envelope)).isInstanceOfSatisfying(EventParseException.class,
                e -> assertThat(e.field()).isEqualTo("[0].subject"));
    }

    @Test
    void otherEnvelopesAreNotAccepted() throws Exception {
        assertThat(parser.accepts(ModelJson.mapper().readTree("{\"source\":\"aws.ec2\",\"detail-type\":\"x\"}")))
                .isFalse();
        assertThat(parser.accepts(ModelJson.mapper().readTree("[]"))).isFalse();
    }

    /** One Event Grid schema ARM write event on {@code resourceUri}. */
    private static JsonNode write(String resourceUri) throws Exception {
        return ModelJson.mapper().readTree("""
                [{"topic": "/subscriptions/%1$s", "subject": "%2$s",
                  "eventType": "Microsoft.Resources.ResourceWriteSuccess", "id": "0b9a6c1e-9d1f-4c55-8a3e-2f7d4c1b0a99",
                  "eventTime": "2026-11-23T10:02:11.3401871Z", "dataVersion": "2", "metadataVersion": "1",
                  "data": {"resourceUri": "%2$s", "subscriptionId": "%1$s", "status": "Succeeded",
                           "operationName": "Microsoft.KeyVault/vaults/keys/write"}}]
                """.formatted(SUB, resourceUri));
    }

    @Test
    void eventsAreRoutedToTheTypeThatDeclaredTheirArmResourceType() throws Exception {
        String vault = "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1";
        EventGridEventParser keysOnly = new EventGridEventParser(List.of(new KmsKey()));

        assertThat(keysOnly.parse(write(vault + "/keys/cmk/versions/3")).events()).singleElement()
                .satisfies(e -> {
                    assertThat(e.type()).isEqualTo(ResourceTypes.KMS_KEY);
                    assertThat(e.id()).isEqualTo(vault + "/keys/cmk");
                });
        assertThat(keysOnly.parse(write(vault)).events()).as("a vault is not a key").isEmpty();
        assertThat(keysOnly.parse(write(RecordedArm.ACCOUNT_LOGS)).events())
                .as("storage accounts are not declared by the parser's only type").isEmpty();
        assertThat(parser.parse(write(RecordedArm.ACCOUNT_LOGS + "/blobServices/default/containers/c")).events())
                .singleElement().satisfies(e -> assertThat(e.id()).isEqualTo(RecordedArm.ACCOUNT_LOGS));
        assertThatThrownBy(() -> new EventGridEventParser(List.of(new KmsKey(), new KmsKey())))
                .hasMessageContaining("Microsoft.KeyVault/vaults is declared by both kms.key and kms.key");
    }

    @Test
    void subscribedSubjectsAreTheDeclaredArmResourceTypes() {
        assertThat(EventGridEventParser.handledSubjectFragments()).containsExactly(
                "/providers/Microsoft.Compute/virtualMachines/", "/providers/Microsoft.KeyVault/vaults/",
                "/providers/Microsoft.Network/networkSecurityGroups/", "/providers/Microsoft.Storage/storageAccounts/");
    }
}
