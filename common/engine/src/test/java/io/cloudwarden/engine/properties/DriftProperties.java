package io.cloudwarden.engine.properties;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonPatch;
import io.cloudwarden.engine.drift.DriftEngine;
import io.cloudwarden.engine.drift.IgnoreRules;
import io.cloudwarden.model.AttributeChange;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceDrift;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.model.schema.ResourceValidator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Drift over any schema-valid estate: a snapshot has no drift from itself; a changed resource's patch is exact. */
class DriftProperties {
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
    private final DriftEngine engine = new DriftEngine(Clock.fixed(T, ZoneOffset.UTC));

    @Provide
    Arbitrary<List<Resource>> estates() {
        return SchemaArbitraries.resources().list().ofMaxSize(8).uniqueElements(Resource::matchKey);
    }

    /** Two versions of one resource: same identity and tags, independent attributes. */
    @Provide
    Arbitrary<Resource[]> versions() {
        return Arbitraries.of(SchemaArbitraries.types()).flatMap(type -> Combinators.combine(
                SchemaArbitraries.resource(type, Arbitraries.just("r-1")), SchemaArbitraries.attributes(type))
                .as((older, attrs) -> new Resource[] {older, older.toBuilder().attributes(attrs).build()}));
    }

    @Property(tries = 200)
    void theGeneratedResourcesAreSchemaValid(@ForAll("estates") List<Resource> estate) {
        for (Resource r : estate) {
            assertThat(ResourceValidator.validate(r)).as("%s %s", r.type(), r.attributes()).isEmpty();
        }
    }

    @Property(tries = 200)
    void aSnapshotComparedWithItselfHasNoDrift(@ForAll("estates") List<Resource> estate) {
        Snapshot s = Snapshot.of(T, estate, List.of());

        DriftReport report = engine.compareSnapshots(s, s, IgnoreRules.none(), Map.of());

        assertThat(report.hasDrift()).as("%s", report).isFalse();
        assertThat(report.drift()).isEmpty();
        DriftReport baseline = engine.compareToBaseline(estate, s, IgnoreRules.none(), List.of());
        assertThat(baseline.drift()).isEmpty();
    }

    @Property(tries = 300)
    void applyingTheReportedPatchToTheOlderAttributesYieldsTheNewer(@ForAll("versions") Resource[] v) {
        Resource older = v[0];
        Resource newer = v[1];

        DriftReport report = engine.compareSnapshots(Snapshot.of(T, List.of(older), List.of()),
                Snapshot.of(T, List.of(newer), List.of()), IgnoreRules.none(), Map.of());

        List<AttributeChange> patch = report.drift().isEmpty() ? List.of() : report.drift().get(0).patch();
        if (older.attributes().equals(newer.attributes())) {
            assertThat(report.drift()).isEmpty();
            return;
        }
        assertThat(report.drift()).singleElement().extracting(ResourceDrift::kind)
                .isEqualTo(ResourceDrift.Kind.CHANGED);
        JsonNode applied = JsonPatch.apply(asJsonPatch(patch), older.attributes().deepCopy());
        assertThat(applied).isEqualTo(newer.attributes());
    }

    private static ArrayNode asJsonPatch(List<AttributeChange> changes) {
        ArrayNode ops = ModelJson.mapper().createArrayNode();
        for (AttributeChange c : changes) {
            ObjectNode op = ops.addObject().put("op", c.op()).put("path", c.path());
            if (!c.op().equals("remove")) {
                op.set("value", c.value());
            }
        }
        return ops;
    }
}
