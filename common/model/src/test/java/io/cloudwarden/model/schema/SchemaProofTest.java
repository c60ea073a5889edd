package io.cloudwarden.model.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.ResourceTypes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast path ({@link SchemaProof}) and the validator (networknt) must agree: whatever the proof calls valid,
 * networknt accepts, and whatever it calls invalid, networknt rejects (and words). Generated resources of every type
 * are mutated at random places with values chosen to sit on the schemas' edges (wrong JSON kinds, {@code 1.0} for
 * an integer, ports 65535/65536, dates that do not exist, offsets, fractions, surrogate pairs...).
 */
class SchemaProofTest {
    private static final SchemaProof RESOURCE = SchemaProof.compile(ModelSchemas.RESOURCE);

    /** One complete, valid resource per type, optional attributes included (compute.instance's os, patch...). */
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
                    {"state": "running", "publicIp": "203.0.113.7", "imageId": "ami-0abc", "identity": null,
                     "diskEncryption": true, "metadataHardened": false,
                     "os": {"family": "linux", "name": "Ubuntu", "version": "22.04"},
                     "patch": {"managed": true, "missingCritical": 0, "missingSecurity": 2, "missingOther": null,
                               "lastAssessedAt": "2026-11-20T08:00:00Z", "lastInstalledAt": null,
                               "rebootPending": false},
                     "utilization": {"cpuAvg": 3.5, "cpuP95": 9.25, "windowDays": 7, "samples": 2016},
                     "group": "asg-1"}""",
            "compute.group", """
                    {"capacity": {"min": 1, "max": 4, "desired": 2}, "memberIds": ["id-a", "id-b"],
                     "utilization": {"cpuAvg": 12.0, "cpuP95": 40, "spread": 3.25, "windowDays": 14}}""",
            "identity.user", """
                    {"mfaEnabled": true, "admin": false, "consoleAccess": true,
                     "lastUsedAt": "2026-11-01T12:30:00.5+02:00", "enabled": true}""",
            "identity.key", """
                    {"active": true, "createdAt": "2025-01-02T03:04:05Z", "ageDays": 325,
                     "lastUsedAt": "2026-11-22T23:59:59.999999999Z", "owner": "arn:aws:iam::111122223333:user/ci"}""",
            "kms.key", """
                    {"enabled": true, "rotationEnabled": true, "rotationPeriodDays": 365, "pendingDeletion": false,
                     "rotationSupported": true}""");

    /** Values at the edges of what the schemas allow. */
    private static final List<String> EDGE_VALUES = List.of("null", "true", "false", "0", "-1", "1", "1.0", "7.5",
            "-0.5", "0.0", "-0.0", "65535", "65536", "70000", "9223372036854775808", "1e2", "1E-400", "\"\"",
            "\"x\"", "\"tcp\"", "\"ssh\"", "\"all\"", "\"ingress\"", "\"inbound\"", "\"allow\"", "\"provider-managed\"",
            "\"aws:kms\"", "\"linux\"", "\"Linux\"", "\"windows\"", "\"storage.bucket\"", "\"database.table\"",
            "\"aws\"", "\"oracle\"", "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "{}", "[]", "[\"a\"]", "[1]", "[null]",
            "{\"a\": 1}", "{\"min\": 1, \"max\": 2, \"desired\": 1}",
            "\"2026-11-23T10:00:00Z\"", "\"2026-11-23T10:00:00.123Z\"", "\"2026-11-23T10:00:00.1234567891Z\"",
            "\"2026-11-23T10:00:00+01:00\"", "\"2026-11-23T10:00:00-23:59\"", "\"2026-11-23T10:00:00+24:00\"",
            "\"2026-11-23T10:00:00+05:60\"", "\"2024-02-29T00:00:00Z\"", "\"2023-02-29T00:00:00Z\"",
            "\"1900-02-29T00:00:00Z\"", "\"2000-02-29T00:00:00Z\"", "\"2026-11-23T23:59:60Z\"",
            "\"2026-11-23t10:00:00z\"", "\"2026-11-23 10:00:00Z\"", "\"2026-11-23T10:00Z\"", "\"0000-01-01T00:00:00Z\"",
            "\"0001-01-01T00:00:00Z\"", "\"2026-13-01T00:00:00Z\"", "\"2026-04-31T00:00:00Z\"", "\"last tuesday\"",
            "\"2026-11-23T10:00:00\"", "\"2026-11-23T10:00:00.Z\"", "\"2026-11-23T24:00:00Z\"", "\"+2026-11-23T10:00:00Z\"",
            "\"20261-11-23T10:00:00Z\"", "\"2026-11-23T10:00:00.5-00:00\"");

    @Test
    void theBundledSchemasCompile() {
        assertThat(ModelSchemas.proof(ModelSchemas.RESOURCE)).isPresent();
        assertThat(ModelSchemas.proof(ModelSchemas.SNAPSHOT_ID)).isPresent();
        for (String type : ResourceTypes.ALL) {
            assertThat(ModelSchemas.proof(ModelSchemas.typeSchemaId(type))).as(type).isPresent();
        }
    }

    @Test
    void aSchemaWithAKeywordItDoesNotKnowDoesNotCompileSoNetworkntDecides() {
        // test-only/pattern.json (a test resource) uses "pattern", which no model schema does
        assertThat(ModelSchemas.proof(ModelSchemas.ID_PREFIX + "test-only/pattern.json")).isEmpty();
        assertThat(ModelSchemas.proof(ModelSchemas.ID_PREFIX + "snapshot.v1.json#/$defs/nothing")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"storage.bucket", "network.firewall", "compute.instance", "compute.group",
            "identity.user", "identity.key", "kms.key"})
    void theCompleteShapeOfEveryTypeIsProvenValid(String type) throws Exception {
        ObjectNode r = resource(type);

        assertThat(RESOURCE.test(r)).isEqualTo(SchemaProof.VALID);
        assertThat(networknt(r)).isEmpty();
    }

    @Test
    void aWrongFieldIsProvenInvalidAndNetworkntNamesIt() throws Exception {
        ObjectNode r = resource("storage.bucket");
        ((ObjectNode) r.get("attributes")).put("publicAccess", "yes");

        assertThat(RESOURCE.test(r)).isEqualTo(SchemaProof.INVALID);
        assertThat(networknt(r)).extracting(Violation::toString)
                .containsExactly("/attributes/publicAccess: string found, boolean expected");
    }

    @Test
    void whatItIsUnsureOfIsLeftToNetworknt() throws Exception {
        ObjectNode r = resource("kms.key");
        ((ObjectNode) r.get("attributes")).put("rotationPeriodDays", 365.0); // an integer to some validators

        assertThat(RESOURCE.test(r)).isEqualTo(SchemaProof.UNKNOWN);
    }

    @Property(tries = 3000, seed = "18")
    void theProofAndNetworkntAgreeOnMutatedResources(@ForAll("mutatedResources") ObjectNode resource) {
        int proof = RESOURCE.test(resource);
        List<Violation> violations = networknt(resource);
        String verdict = proof == SchemaProof.VALID ? "proven valid"
                : proof == SchemaProof.INVALID ? "proven invalid" : "left to networknt";
        Statistics.collect(verdict);
        Statistics.coverage(c -> {
            c.check("proven valid").percentage(p -> p > 15);
            c.check("proven invalid").percentage(p -> p > 30);
        });

        if (proof == SchemaProof.VALID) {
            assertThat(violations).as("networknt on %s", resource).isEmpty();
        }
        if (proof == SchemaProof.INVALID) {
            assertThat(violations).as("networknt on %s", resource).isNotEmpty();
        }
    }

    /** The envelope as the streaming reader validates it: every field but the resources, which are checked apart. */
    @Property(tries = 1500, seed = "18")
    void theProofAndNetworkntAgreeOnMutatedEnvelopes(@ForAll("mutatedEnvelopes") ObjectNode envelope) {
        SchemaProof proof = ModelSchemas.proof(ModelSchemas.SNAPSHOT_ID).orElseThrow();
        int verdict = proof.test(envelope);
        List<Violation> violations = ModelSchemas.validate(ModelSchemas.snapshot(), envelope);
        Statistics.collect(verdict == SchemaProof.VALID ? "proven valid"
                : verdict == SchemaProof.INVALID ? "proven invalid" : "left to networknt");
        Statistics.coverage(c -> {
            c.check("proven valid").percentage(p -> p > 15);
            c.check("proven invalid").percentage(p -> p > 30);
        });

        if (verdict == SchemaProof.VALID) {
            assertThat(violations).as("networknt on %s", envelope).isEmpty();
        }
        if (verdict == SchemaProof.INVALID) {
            assertThat(violations).as("networknt on %s", envelope).isNotEmpty();
        }
    }

    @Provide
    Arbitrary<ObjectNode> mutatedEnvelopes() {
        Arbitrary<List<Tuple.Tuple3<Integer, Integer, String>>> mutations = Combinators.combine(
                Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 1_000),
                Arbitraries.of(EDGE_VALUES)).as(Tuple::of).list().ofMaxSize(2);
        return mutations.map(ms -> {
            ObjectNode e = (ObjectNode) parse("""
                    {"schema": "cloudwarden/snapshot/v1", "takenAt": "2026-11-23T10:00:00Z", "resources": [],
                     "errors": [{"cloud": "aws", "account": "1", "region": "us-east-1", "type": "storage.bucket",
                                 "message": "denied", "code": "AccessDenied"}],
                     "statistics": {"calls": [{"cloud": "gcp", "service": "compute", "calls": 3, "retries": 0,
                                               "throttles": 1}]}}""");
            for (Tuple.Tuple3<Integer, Integer, String> m : ms) {
                mutate(e, m.get1(), m.get2(), parse(m.get3()));
            }
            return e;
        });
    }

    @Property(tries = 2000, seed = "18")
    void theDateTimeShapeItAcceptsIsOneNetworkntAccepts(@ForAll("dateTimes") String text) {
        ObjectNode r = resource("identity.key");
        ((ObjectNode) r.get("attributes")).put("createdAt", text);
        Statistics.collect(SchemaProof.isPlainDateTime(text) ? "plain" : "left to networknt");
        Statistics.coverage(c -> c.check("plain").percentage(p -> p > 8));

        if (SchemaProof.isPlainDateTime(text)) {
            assertThat(networknt(r)).as(text).isEmpty();
        }
    }

    @Provide
    Arbitrary<ObjectNode> mutatedResources() {
        Arbitrary<String> types = Arbitraries.of(List.copyOf(VALID.keySet()));
        Arbitrary<List<Tuple.Tuple3<Integer, Integer, String>>> mutations = Combinators.combine(
                Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 1_000),
                Arbitraries.of(EDGE_VALUES)).as(Tuple::of).list().ofMaxSize(3);
        Arbitrary<String> otherType = Arbitraries.of(List.copyOf(VALID.keySet()));
        return Combinators.combine(types, mutations, otherType, Arbitraries.integers().between(0, 9))
                .as((type, ms, other, swap) -> {
                    ObjectNode r = resource(type);
                    if (swap == 0) {
                        r.put("type", other); // attributes of one type under another's name
                    }
                    for (Tuple.Tuple3<Integer, Integer, String> m : ms) {
                        mutate(r, m.get1(), m.get2(), parse(m.get3()));
                    }
                    return r;
                });
    }

    @Provide
    Arbitrary<String> dateTimes() {
        Arbitrary<String> plainish = Combinators.combine(
                Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 13),
                Arbitraries.integers().between(0, 32), Arbitraries.integers().between(0, 24),
                Arbitraries.integers().between(0, 60), Arbitraries.integers().between(0, 60),
                Arbitraries.of("", ".5", ".123", ".123456789", ".1234567890", "."),
                Arbitraries.of("Z", "z", "+00:00", "-00:00", "+05:30", "-12:00", "+14:00", "+23:59", "+24:00",
                        "-05:60", "", "+0530"))
                .as((y, mo, d, h, mi, s, f, z) -> String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", y, mo, d, h,
                        mi, s, f, z));
        return Arbitraries.frequencyOf(Tuple.of(9, plainish), Tuple.of(1, Arbitraries.of(EDGE_VALUES)
                .filter(v -> v.startsWith("\"")).map(v -> parse(v).asText())));
    }

    /**
     * Applies one mutation at a place chosen by {@code at} among the resource's nodes: 0 replace a value, 1 remove a
     * field, 2 add a field, 3 replace an array element, 4 replace a top-level field.
     */
    private static void mutate(ObjectNode r, int kind, int at, JsonNode value) {
        List<JsonNode> containers = new ArrayList<>();
        collect(r, containers);
        JsonNode target = kind == 4 ? r : containers.get(at % containers.size());
        if (target instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            if (kind == 2 || names.isEmpty()) {
                o.set("extra" + at % 3, value);
            } else if (kind == 1) {
                o.remove(names.get(at % names.size()));
            } else {
                o.set(names.get(at % names.size()), value);
            }
        } else if (target instanceof ArrayNode a) {
            if (a.isEmpty() || kind == 2) {
                a.add(value);
            } else if (kind == 1) {
                a.remove(at % a.size());
            } else {
                a.set(at % a.size(), value);
            }
        }
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            for (Iterator<JsonNode> it = n.elements(); it.hasNext();) {
                collect(it.next(), out);
            }
        }
    }

    static ObjectNode resource(String type) {
        ObjectNode r = (ObjectNode) parse("""
                {"cloud": "aws", "account": "111122223333", "region": "us-east-1", "type": "%s", "id": "id-1",
                 "name": "n", "nativeType": "AWS::Thing", "tags": {"env": "prod", "cloudwarden:exempt": "x"},
                 "raw": {"Anything": [1, "goes", null]}, "observedAt": "2026-11-23T10:00:00Z"}""".formatted(type));
        r.set("attributes", parse(VALID.get(type)));
        return r;
    }

    private static JsonNode parse(String json) {
        try {
            return ModelJson.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static List<Violation> networknt(JsonNode resource) {
        return ModelSchemas.validate(ModelSchemas.resource(), resource);
    }
}
