package io.cloudwarden.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.values.NullValue;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.Severity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyEngineTest {
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    static Rule rule(String id, String type, String condition) {
        return new Rule(id, "Title of " + id, "", Severity.HIGH, List.of(type), condition, List.of("CIS AWS 2.1.4"),
                Optional.of(new RemediationRef("storage.bucket/block-public-access", RemediationRef.Mode.APPROVE)),
                "test.yaml");
    }

    static Resource bucket(String attributesJson, Map<String, String> tags) throws Exception {
        return Resource.builder().cloud(Cloud.AWS).account("111122223333").region("us-east-1")
                .type("storage.bucket").id("arn:aws:s3:::b1").name("b1").tags(tags)
                .attributes((ObjectNode) ModelJson.mapper().readTree(attributesJson))
                .raw(ModelJson.mapper().readTree("{\"Name\": \"b1\", \"Versioning\": {\"Status\": \"Enabled\"}}"))
                .observedAt(Instant.parse("2026-11-23T09:00:00Z")).build();
    }

    static final String ATTRS = """
            {"publicAccess": false, "minTlsVersion": "1.2", "ageDays": 91, "ratio": 0.5, "nothing": null,
             "internetIngress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443},
                                 {"protocol": "tcp", "fromPort": null, "toPort": null}],
             "encryption": {"enabled": true, "keyType": "customer-managed"}}""";

    /** The expressions a CEL user writes, against one resource; true = complies. */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiterString = " -> ", quoteCharacter = '"', textBlock = """
            !resource.attributes.publicAccess -> true
            !resource.attributes.internetIngress.exists(r, r.fromPort == null || (r.fromPort <= 22 && r.toPort >= 22)) -> false
            resource.attributes.internetIngress.all(r, r.protocol == 'tcp') -> true
            resource.attributes.internetIngress.exists_one(r, r.fromPort == 443) -> true
            resource.attributes.internetIngress.filter(r, r.fromPort != null).map(r, r.toPort) == [443] -> true
            'owner' in resource.tags -> true
            'missing' in resource.tags -> false
            has(resource.attributes.minTlsVersion) -> true
            has(resource.attributes.nope) -> false
            resource.attributes.minTlsVersion != null && resource.attributes.minTlsVersion >= '1.2' -> true
            resource.attributes.ageDays <= 90 -> false
            resource.attributes.ageDays == 91 -> true
            type(resource.attributes.ageDays) == int -> true
            type(resource.attributes.ratio) == double -> true
            resource.attributes.ratio < 1 -> true
            resource.attributes.nothing == null -> true
            resource.attributes.encryption.keyType == 'customer-managed' -> true
            resource.cloud == 'aws' && resource.type == 'storage.bucket' && resource.id.startsWith('arn:aws:s3:::') -> true
            resource.observedAt == '2026-11-23T09:00:00Z' -> true
            resource.raw.Name == 'b1' && resource.raw.Versioning.Status == 'Enabled' -> true
            'raw' in resource && !('nope' in resource) && size(resource) == 11 -> true
            now - timestamp(resource.observedAt) == duration('1h') -> true
            resource.attributes.nope == 1 || true -> true
            true || resource.attributes.nope == 1 -> true
            resource.attributes.nothing != true -> true
            resource.attributes.ageDays != true -> true
            resource.attributes.publicAccess != true -> true
            """)
    void celExpressionsBehaveAsACelUserExpects(String condition, boolean complies) throws Exception {
        PolicyEngine engine = new PolicyEngine(List.of(rule("r1", "storage.bucket", condition)),
                Clock.fixed(NOW, ZoneOffset.UTC));
        List<Finding> findings = engine.evaluate(bucket(ATTRS, Map.of("owner", "team-a")));
        if (complies) {
            assertThat(findings).isEmpty();
        } else {
            assertThat(findings).singleElement().extracting(Finding::status).isEqualTo(Finding.Status.FAIL);
        }
    }

    @Test
    void aFailingConditionYieldsAFindingCarryingTheRule() throws Exception {
        Rule r = rule("storage-no-public-access", "storage.bucket", "!resource.attributes.publicAccess");
        Resource b = bucket("{\"publicAccess\": true}", Map.of());

        Finding f = new PolicyEngine(List.of(r)).evaluate(b).get(0);

        assertThat(f.id()).isEqualTo(Finding.idFor("storage-no-public-access", b.ref())).startsWith("f-");
        assertThat(f.ruleId()).isEqualTo("storage-no-public-access");
        assertThat(f.title()).isEqualTo(r.title());
        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.status()).isEqualTo(Finding.Status.FAIL);
        assertThat(f.resource()).isEqualTo(b.ref());
        assertThat(f.controls()).containsExactly("CIS AWS 2.1.4");
        assertThat(f.remediation()).contains(new RemediationRef("storage.bucket/block-public-access",
                RemediationRef.Mode.APPROVE));
        assertThat(f.observedAt()).isEqualTo(b.observedAt());
        assertThat(f.message()).isEqualTo("Title of storage-no-public-access: b1 (publicAccess=true)");
    }

    @Test
    void anEvaluationErrorIsAnErrorFindingAndOtherRulesAndResourcesContinue() throws Exception {
        PolicyEngine engine = new PolicyEngine(List.of(
                rule("missing-key", "storage.bucket", "resource.attributes.versioning == true"),
                rule("bad-type", "storage.bucket", "resource.attributes.publicAccess > 3"),
                rule("ok", "storage.bucket", "!resource.attributes.publicAccess")));
        Resource b1 = bucket("{\"publicAccess\": true}", Map.of());
        Resource b2 = b1.toBuilder().id("arn:aws:s3:::b2").attributes(
                (ObjectNode) ModelJson.mapper().readTree("{\"publicAccess\": false, \"versioning\": true}")).build();

        Evaluation e = engine.evaluateAll(List.of(b1, b2));

        assertThat(e.resourcesEvaluated()).isEqualTo(2);
        assertThat(e.rulesApplied()).isEqualTo(6);
        assertThat(e.findings()).extracting(f -> f.ruleId() + "@" + f.resource().id() + "=" + f.status())
                .containsExactly(
                        "missing-key@arn:aws:s3:::b1=ERROR",
                        "bad-type@arn:aws:s3:::b1=ERROR",
                        "ok@arn:aws:s3:::b1=FAIL",
                        "bad-type@arn:aws:s3:::b2=ERROR");
        assertThat(e.findings().get(0).message()).contains("could not evaluate").contains("versioning");
        assertThat(e.failures()).isEqualTo(1);
        assertThat(e.errors()).isEqualTo(3);
    }

    @Test
    void orderingComparisonsWithNullAreErrorsNotFailures() throws Exception {
        PolicyEngine engine = new PolicyEngine(List.of(
                rule("tls", "storage.bucket", "resource.attributes.minTlsVersion >= '1.2'")));
        assertThat(engine.evaluate(bucket("{\"minTlsVersion\": null}", Map.of()))).singleElement()
                .extracting(Finding::status).isEqualTo(Finding.Status.ERROR);
    }

    @Test
    void aDynConditionThatIsNotABoolAtRunTimeIsAnError() throws Exception {
        PolicyEngine engine = new PolicyEngine(List.of(rule("dyn", "storage.bucket", "resource.attributes.x")));
        assertThat(engine.evaluate(bucket("{\"x\": \"yes\"}", Map.of()))).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(Finding.Status.ERROR);
            assertThat(f.message()).contains("returned a string instead of a bool");
        });
        assertThat(engine.evaluate(bucket("{\"x\": true}", Map.of()))).isEmpty();
    }

    @Test
    void rulesApplyOnlyToTheirResourceTypes() throws Exception {
        PolicyEngine engine = new PolicyEngine(List.of(rule("kms", "kms.key", "false")));
        Evaluation e = engine.evaluateAll(List.of(bucket("{}", Map.of())));
        assertThat(e.findings()).isEmpty();
        assertThat(e.rulesApplied()).isZero();
        assertThat(e.resourcesEvaluated()).isEqualTo(1);
    }

    @Test
    void exemptTagSkipsAllRulesOrTheNamedOnes() throws Exception {
        PolicyEngine engine = new PolicyEngine(List.of(
                rule("a", "storage.bucket", "false"), rule("b", "storage.bucket", "false")));

        Evaluation all = engine.evaluateAll(List.of(bucket("{}", Map.of("cloudwarden:exempt", "true"))));
        assertThat(all.findings()).isEmpty();
        assertThat(all.exemptResources()).isEqualTo(1);
        assertThat(all.exemptions()).isEqualTo(2);
        assertThat(all.rulesApplied()).isZero();

        Evaluation one = engine.evaluateAll(List.of(bucket("{}", Map.of("cloudwarden:exempt", "a"))));
        assertThat(one.findings()).extracting(Finding::ruleId).containsExactly("b");
        assertThat(one.exemptResources()).isEqualTo(1);
        assertThat(one.exemptions()).isEqualTo(1);

        Evaluation other = engine.evaluateAll(List.of(bucket("{}", Map.of("cloudwarden:exempt", "false"))));
        assertThat(other.findings()).hasSize(2);
        assertThat(other.exemptResources()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            resource.attributes.publicAccess ==     | invalid CEL condition
            unknownVar == 1                          | undeclared reference to 'unknownVar'
            1 + 1                                    | condition must evaluate to bool but has type int
            'text'                                   | condition must evaluate to bool but has type string
            resource                                 | condition must evaluate to bool but has type map
            [true]                                   | condition must evaluate to bool but has type list
            """)
    void invalidConditionsAreRejectedAtConstructionNamingFileAndRule(String condition, String expected) {
        assertThatThrownBy(() -> new PolicyEngine(List.of(rule("bad-rule", "storage.bucket", condition))))
                .isInstanceOf(PolicyValidationException.class)
                .hasMessageStartingWith("test.yaml: rule 'bad-rule': ")
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void duplicateRuleIdsAreRejected() {
        assertThatThrownBy(() -> new PolicyEngine(List.of(rule("x", "kms.key", "true"), rule("x", "kms.key", "true"))))
                .isInstanceOf(PolicyValidationException.class).hasMessageContaining("duplicate rule id");
    }

    @Test
    void theBindingIsTheModelJsonOfTheResource() throws Exception {
        Resource b = bucket(ATTRS, Map.of("owner", "team-a")).toBuilder().nativeType("AWS::S3::Bucket")
                .raw(ModelJson.mapper().readTree("{\"Name\": \"b1\", \"Size\": 12, \"big\": 1.5e300}")).build();
        Object viaJackson = CelValues.of(ModelJson.mapper().valueToTree(b));
        assertThat(CelValues.resource(b)).isEqualTo(viaJackson);
    }

    @Test
    void jsonValuesMapToCelTypes() throws Exception {
        Object v = CelValues.of(ModelJson.mapper().readTree(
                "{\"i\": 3, \"d\": 3.5, \"n\": null, \"s\": \"x\", \"b\": true, \"l\": [1, \"a\"], \"huge\": 123456789012345678901234567890}"));
        assertThat(v).isEqualTo(Map.of("i", 3L, "d", 3.5, "n", NullValue.NULL_VALUE, "s", "x", "b", true,
                "l", List.of(1L, "a"), "huge", 1.2345678901234568E29));
    }

    @Test
    void theBuiltInPackCompiles() {
        assertThat(PolicyEngine.builtIn().rules()).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void aLazyEngineCompilesARulesTypeOnlyWhenAResourceOfThatTypeIsEvaluated() throws Exception {
        List<Rule> rules = List.of(rule("public", "storage.bucket", "!resource.attributes.publicAccess"),
                rule("broken-kms", "kms.key", "resource.attributes.enabled =="));
        PolicyEngine lazy = PolicyEngine.lazy(rules, Clock.fixed(NOW, ZoneOffset.UTC));

        // no key was evaluated, so the invalid key rule was never compiled
        assertThat(lazy.evaluate(bucket("{\"publicAccess\": true}", Map.of())))
                .extracting(Finding::ruleId).containsExactly("public");
        Resource key = bucket("{}", Map.of()).toBuilder().type("kms.key").id("arn:aws:kms:us-east-1:1:key/k").build();
        assertThatThrownBy(() -> lazy.evaluate(key)).isInstanceOf(PolicyValidationException.class)
                .hasMessageContaining("broken-kms");
        // the eager constructor rejects it before any resource
        assertThatThrownBy(() -> new PolicyEngine(rules)).isInstanceOf(PolicyValidationException.class)
                .hasMessageContaining("broken-kms");
    }

    @Test
    void aLazyEngineAndAStreamedRunGiveTheEagerEnginesEvaluation() throws Exception {
        List<Resource> resources = List.of(
                bucket("{\"publicAccess\": true, \"versioning\": false}", Map.of()),
                bucket("{\"publicAccess\": false}", Map.of(PolicyEngine.EXEMPT_TAG, "true")),
                bucket("{\"publicAccess\": \"yes\"}", Map.of()));
        List<Rule> rules = List.of(rule("public", "storage.bucket", "!resource.attributes.publicAccess"),
                rule("versioned", "storage.bucket", "resource.attributes.versioning"));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

        Evaluation eager = new PolicyEngine(rules, clock).evaluateAll(resources);
        PolicyEngine.Run run = PolicyEngine.lazy(rules, clock).start();
        resources.forEach(run);

        assertThat(run.evaluation()).isEqualTo(eager);
        assertThat(eager.findings()).hasSize(4);
        assertThat(eager.exemptResources()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} resources on {1} threads")
    @CsvSource({"1000, 2", "2049, 3", "100, 2", "256, 2", "0, 2"})
    void aParallelRunGivesTheSequentialEvaluationInInputOrder(int size, int threads) throws Exception {
        List<Rule> rules = List.of(rule("public", "storage.bucket", "!resource.attributes.publicAccess"),
                rule("versioned", "storage.bucket", "resource.attributes.versioning"),
                rule("old", "storage.bucket", "resource.attributes.ageDays <= 90"));
        List<Resource> resources = new java.util.ArrayList<>();
        for (int i = 0; i < size; i++) {
            // every kind of outcome, varying along the stream: FAIL, ERROR (a string where a bool is read), exempt
            resources.add(bucket("{\"publicAccess\": " + (i % 3 == 0) + ", \"versioning\": "
                    + (i % 5 == 0 ? "\"yes\"" : i % 2 == 0) + ", \"ageDays\": " + i % 120 + "}",
                    i % 7 == 0 ? Map.of(PolicyEngine.EXEMPT_TAG, "old") : Map.of()).toBuilder()
                    .id("arn:aws:s3:::b" + i).build());
        }
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        Evaluation sequential = PolicyEngine.lazy(rules, clock).evaluateAll(resources);

        Evaluation parallel;
        try (PolicyEngine.Run run = PolicyEngine.lazy(rules, clock).start(threads)) {
            resources.forEach(run);
            parallel = run.evaluation();
        }

        assertThat(parallel).isEqualTo(sequential); // findings in the same order, the same counts
        assertThat(parallel.resourcesEvaluated()).isEqualTo(size);
        if (size > 0) {
            assertThat(parallel.findings()).extracting(Finding::status).contains(Finding.Status.FAIL,
                    Finding.Status.ERROR);
            assertThat(parallel.exemptions()).isPositive();
        }
    }

    @Test
    void aFailureOnAWorkerThreadReachesTheCaller() throws Exception {
        List<Rule> rules = List.of(rule("broken-kms", "kms.key", "resource.attributes.enabled =="));
        Resource key = bucket("{}", Map.of()).toBuilder().type("kms.key").id("arn:aws:kms:us-east-1:1:key/k").build();

        try (PolicyEngine.Run run = PolicyEngine.lazy(rules, Clock.fixed(NOW, ZoneOffset.UTC)).start(2)) {
            for (int i = 0; i < 3 * PolicyEngine.BATCH; i++) {
                run.accept(key);
            }
            assertThatThrownBy(run::evaluation).isInstanceOf(PolicyValidationException.class)
                    .hasMessageContaining("broken-kms");
        }
    }
}
