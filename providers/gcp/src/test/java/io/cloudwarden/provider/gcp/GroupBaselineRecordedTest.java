package io.cloudwarden.provider.gcp;

import static io.cloudwarden.provider.gcp.CollectorRecordedTest.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.drift.DriftEngine;
import io.cloudwarden.engine.drift.IgnoreRules;
import io.cloudwarden.engine.spi.BaselineResult;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.TerraformInstance;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.NotCompared;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceDrift;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.model.Snapshot;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tfstate/groups.tfstate} declares the recorded managed instance groups (zonal {@code web-mig} with its
 * autoscaler, regional {@code batch-mig}) as Terraform would hold them; mapped, they match the collected groups on
 * every value the state can know, and drift compares the groups and leaves their members to them.
 */
class GroupBaselineRecordedTest extends RecordedApi {
    @BeforeEach
    void estate() {
        UtilizationRecordedTest.stubGroupsAndInstances(wm);
    }

    static JsonNode state() throws Exception {
        try (InputStream in = GroupBaselineRecordedTest.class.getResourceAsStream("/tfstate/groups.tfstate")) {
            return ModelJson.mapper().readTree(in);
        }
    }

    private static JsonNode attributes(JsonNode state, String type) {
        for (JsonNode r : state.path("resources")) {
            if (r.path("type").asText().equals(type)) {
                return r.at("/instances/0/attributes");
            }
        }
        throw new AssertionError(type);
    }

    private List<Resource> collect(String type) {
        ResourceDescriptor d = CollectorRecordedTest.descriptor(type);
        List<NativeItem> items = new ArrayList<>();
        d.collector().collect(session, new Shard(Cloud.GCP, PROJECT, "global", type), items::add);
        return items.stream().map(i -> {
            var n = d.normalizer().normalize(i);
            return Resource.builder().cloud(Cloud.GCP).account(i.account()).region(i.region()).type(type).id(i.id())
                    .name(n.name()).tags(n.tags()).attributes(n.attributes()).build();
        }).toList();
    }

    private static Resource byName(List<Resource> rs, String name) {
        return rs.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void managedInstanceGroupsMapToTheCollectedGroupsWithTheAutoscalersRangeAndNoSizeItMoves() throws Exception {
        BaselineResult b = new GcpProvider().baselineMapper().map(GcpBaselineMapperTest.instances(state()));
        List<Resource> live = collect(ResourceTypes.COMPUTE_GROUP);

        assertThat(b.notCompared()).isEmpty();
        assertThat(b.resources()).extracting(Resource::matchKey)
                .containsExactlyInAnyOrderElementsOf(live.stream().map(Resource::matchKey).toList());
        // web-mig: the autoscaler's min_replicas/max_replicas; target_size is the autoscaler's to move
        Resource web = byName(b.resources(), "web-mig");
        assertThat(web.attributes().toString()).isEqualTo("{\"capacity\":{\"min\":2,\"max\":8}}");
        assertThat(web.region()).isEqualTo("us-central1-a");
        // batch-mig: regional, no autoscaler: target_size is min, max and desired
        Resource batch = byName(b.resources(), "batch-mig");
        assertThat(batch.attributes().toString()).isEqualTo("{\"capacity\":{\"min\":2,\"max\":2,\"desired\":2}}");
        assertThat(batch.region()).isEqualTo("europe-west1");
        for (Resource r : b.resources()) {
            Resource l = byName(live, r.name());
            assertThat(l.account()).isEqualTo(r.account());
            assertThat(l.region()).isEqualTo(r.region());
            r.attributes().path("capacity").fields().forEachRemaining(e -> assertThat(e.getValue())
                    .as("%s capacity %s", r.name(), e.getKey()).isEqualTo(l.attributes().at("/capacity/" + e.getKey())));
        }
    }

    @Test
    void anAutoscalerSwitchedOffLeavesTheSizeToTargetSizeAndOneWithoutItsGroupIsNotCompared() throws Exception {
        JsonNode state = state();
        ((ObjectNode) attributes(state, "google_compute_autoscaler").at("/autoscaling_policy/0")).put("mode", "OFF");
        Resource web = byName(new GcpProvider().baselineMapper().map(GcpBaselineMapperTest.instances(state))
                .resources(), "web-mig");
        assertThat(web.attributes().toString()).isEqualTo("{\"capacity\":{\"min\":3,\"max\":3,\"desired\":3}}");

        List<TerraformInstance> withoutGroup = GcpBaselineMapperTest.instances(state()).stream()
                .filter(i -> !i.type().equals("google_compute_instance_group_manager")).toList();
        assertThat(new GcpProvider().baselineMapper().map(withoutGroup).notCompared()).singleElement()
                .satisfies(n -> {
                    assertThat(n.address()).isEqualTo("google_compute_autoscaler.web");
                    assertThat(n.reason()).contains("instanceGroupManagers/web-mig", "not a managed instance group");
                });
    }

    @Test
    void driftReportsTheChangedReplicaRangeAndLeavesTheGroupsMembersToTheGroup() throws Exception {
        // the autoscaler's max_replicas in the state is 6; the cloud's is 8
        JsonNode state = state();
        ((ObjectNode) attributes(state, "google_compute_autoscaler").at("/autoscaling_policy/0")).put("max_replicas", 6);
        BaselineResult b = new GcpProvider().baselineMapper().map(GcpBaselineMapperTest.instances(state));
        List<Resource> live = new ArrayList<>(collect(ResourceTypes.COMPUTE_GROUP));
        live.addAll(collect(ResourceTypes.COMPUTE_INSTANCE));

        DriftReport r = new DriftEngine().compareToBaseline(b.resources(), Snapshot.of(Instant.EPOCH, live,
                List.of()), IgnoreRules.none(), b.notCompared());

        assertThat(r.drift()).filteredOn(d -> d.resource().type().equals(ResourceTypes.COMPUTE_GROUP))
                .singleElement().satisfies(d -> {
                    assertThat(d.kind()).isEqualTo(ResourceDrift.Kind.CHANGED);
                    assertThat(d.resource().id()).isEqualTo(UtilizationRecordedTest.WEB_MIG);
                    assertThat(d.patch()).singleElement().satisfies(c -> {
                        assertThat(c.path()).isEqualTo("/capacity/max");
                        assertThat(c.from().asInt()).isEqualTo(6);
                        assertThat(c.value().asInt()).isEqualTo(8);
                    });
                });
        // web-1 is web-mig's member: not unmanaged but left to its group; batch-2 (no group) is unmanaged
        assertThat(r.notCompared()).filteredOn(n -> n.source().equals(DriftEngine.GROUP_MEMBERS_SOURCE))
                .extracting(NotCompared::address).anyMatch(a -> a.endsWith("/instances/web-1"));
        assertThat(r.drift()).filteredOn(d -> d.kind() == ResourceDrift.Kind.UNMANAGED)
                .extracting(d -> d.resource().id()).noneMatch(id -> id.endsWith("/instances/web-1"))
                .anyMatch(id -> id.endsWith("/instances/batch-2"));
    }
}
