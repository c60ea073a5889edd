package io.cloudwarden.engine.properties;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.policy.Evaluation;
import io.cloudwarden.engine.policy.PolicyEngine;
import io.cloudwarden.model.Finding;
import io.cloudwarden.model.Resource;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The built-in rules on any schema-valid resource: evaluation never throws, and yields findings about that resource
 * only, none of them an evaluation error.
 */
class PolicyProperties {
    private static final PolicyEngine BUILT_IN = PolicyEngine.builtIn();

    @Property(tries = 500)
    void everySchemaValidResourceEvaluatesWithoutAnException(@ForAll("resources") Resource resource) {
        List<Finding> findings = BUILT_IN.evaluate(resource);

        for (Finding f : findings) {
            assertThat(f.resource()).isEqualTo(resource.ref());
            assertThat(f.status()).as("%s on %s", f.ruleId(), resource.attributes()).isNotEqualTo(Finding.Status.ERROR);
        }
    }

    @Property(tries = 100)
    void anEstateEvaluatesWithoutAnException(@ForAll("estates") List<Resource> estate) {
        Evaluation evaluation = BUILT_IN.evaluateAll(estate);

        assertThat(evaluation.errors()).isZero();
        assertThat(evaluation.resourcesEvaluated()).isEqualTo(estate.size());
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Resource> resources() {
        return SchemaArbitraries.resources();
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<List<Resource>> estates() {
        return SchemaArbitraries.resources().list().ofMaxSize(6).uniqueElements(Resource::matchKey);
    }
}
