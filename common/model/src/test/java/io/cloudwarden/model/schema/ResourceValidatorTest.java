package io.cloudwarden.model.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each type schema accepts the DESIGN.md shape (nulls where it says "or null") and rejects what it forbids. */
class ResourceValidatorTest {
    /** Valid attributes per type, with the nullable attributes set to null. */
    static final Map<String, String> VALID = Map.of(
            "storage.bucket", """
                    {"publicAccess": false, "encryption": {"enabled": true, "keyType": "customer-managed"},
                     "versioning": true, "minTlsVersion": null, "logging": false}""",
            "network.firewall", """
                    {"rules": [{"direction": "ingress", "action": "allow", "protocol": "tcp", "fromPort": 22,
                                "toPort": 22, "ranges": ["0.0.0.0/0", "::/0"]},
                               {"direction": "egress", "action": "deny", "protocol": "all", "fromPort": null,
                                "toPort": null, "ranges": ["10.0.0.0/8"]}],
                     "internetIngress": [{"protocol": "tcp", "fromPort": 22, "toPort": 22}]}""",
            "compute.instance", """
                    {"state": "running", "publicIp": null, "imageId": "ami-0abcdef1234567890", "identity": null,
                     "diskEncryption": true, "metadataHardened": true,
                     "utilization": {"cpuAvg": 3.5, "cpuP95": 9.25, "windowDays": 7, "samples": 2016},
                     "group": null}""",
            "compute.group", """
                    {"capacity": {"min": 1, "max": 4, "desired": 2}, "memberIds": ["id-a", "id-b"],
                     "utilization": null}""",
            "identity.user", """
                    {"mfaEnabled": null, "admin": false, "consoleAccess": false, "lastUsedAt": null}""",
            "identity.key", """
                    {"active": true, "createdAt": "2025-01-02T03:04:05Z", "ageDays": 325,
                     "lastUsedAt": null, "owner": "arn:aws:iam::111122223333:user/ci"}""",
            "kms.key", """
                    {"enabled": true, "rotationEnabled": true, "rotationPeriodDays": 365}""");

    private static Resource resource(String type, String attributes) throws Exception {
        return Resource.builder().cloud(Cloud.AWS).type(type).id("id-1")
                .attributes((ObjectNode) ModelJson.mapper().readTree(attributes)).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"storage.bucket", "network.firewall", "compute.instance", "compute.group",
            "identity.user", "identity.key", "kms.key"})
    void theDesignShapeIsValidAndExtraAttributesAreAllowed(String type) throws Exception {
        assertThat(VALID.keySet()).containsExactlyInAnyOrderElementsOf(ResourceTypes.ALL);
        ObjectNode attrs = (ObjectNode) ModelJson.mapper().readTree(VALID.get(type));
        attrs.put("providerSpecificExtra", "kept");

        assertThat(ResourceValidator.validate(resource(type, attrs.toString()))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "storage.bucket   | /encryption/keyType | \"aws:kms\"",
            "storage.bucket   | /versioning         | null",
            "network.firewall | /rules/0/protocol   | \"ssh\"",
            "network.firewall | /rules/0/fromPort   | 70000",
            "network.firewall | /rules/1/direction  | \"inbound\"",
            "compute.instance | /diskEncryption     | \"yes\"",
            "compute.instance | /utilization/cpuP95 | \"high\"",
            "compute.instance | /utilization/windowDays | 7.5",
            "compute.group    | /capacity/desired   | -1",
            "compute.group    | /memberIds          | \"i-1\"",
            "identity.user    | /admin              | null",
            "identity.user    | /lastUsedAt         | \"last tuesday\"",
            "identity.key     | /ageDays            | -1",
            "identity.key     | /createdAt          | null",
            "kms.key          | /rotationPeriodDays | \"90\""})
    void aWrongValueIsReportedAtItsPointer(String type, String pointer, String badValue) throws Exception {
        ObjectNode attrs = (ObjectNode) ModelJson.mapper().readTree(VALID.get(type));
        String parent = pointer.substring(0, pointer.lastIndexOf('/'));
        String field = pointer.substring(pointer.lastIndexOf('/') + 1);
        ((ObjectNode) (parent.isEmpty() ? attrs : attrs.at(parent))).set(field, ModelJson.mapper().readTree(badValue));

        List<Violation> violations = ResourceValidator.validate(resource(type, attrs.toString()));

        assertThat(violations).extracting(Violation::pointer).contains("/attributes" + pointer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"storage.bucket", "compute.instance", "compute.group", "identity.user", "identity.key",
            "kms.key"})
    void everyAttributeIsRequiredEvenWhenNullable(String type) throws Exception {
        ObjectNode attrs = (ObjectNode) ModelJson.mapper().readTree(VALID.get(type));
        String first = attrs.fieldNames().next();
        attrs.remove(first);

        assertThat(ResourceValidator.validate(resource(type, attrs.toString())))
                .extracting(Violation::pointer).containsExactly("/attributes/" + first);
    }
}
