package io.cloudwarden.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.drift.DriftEngine;
import io.cloudwarden.engine.drift.IgnoreRules;
import io.cloudwarden.engine.spi.BaselineResult;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.TerraformInstance;
import io.cloudwarden.model.AttributeChange;
import io.cloudwarden.model.DriftReport;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.Snapshot;
import io.cloudwarden.provider.gcp.identity.user.ServiceAccountCollector;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The tfstate describes exactly the recorded estate: every mapped resource must match a collected one by id, with
 * each attribute the baseline states equal to the collected value (the drift engine compares only those paths).
 */
class GcpBaselineMapperTest {
    final GcpProvider provider = new GcpProvider();

    static JsonNode state() throws Exception {
        try (InputStream in = GcpBaselineMapperTest.class.getResourceAsStream("/tfstate/estate.tfstate")) {
            return ModelJson.mapper().readTree(in);
        }
    }

    static List<TerraformInstance> instances(JsonNode state) {
        List<TerraformInstance> out = new ArrayList<>();
        for (JsonNode r : state.path("resources")) {
            for (JsonNode i : r.path("instances")) {
                out.add(new TerraformInstance(r.path("type").asText() + "." + r.path("name").asText(),
                        r.path("type").asText(), r.path("name").asText(), "registry.terraform.io/hashicorp/google",
                        i.path("attributes")));
            }
        }
        return out;
    }

    /** The recorded CAI estate, joined and normalized as the collectors would. */
    Map<String, Resource> collected() throws Exception {
        Map<String, Resource> byId = new HashMap<>();
        JsonNode iam = ModelJson.mapper().readTree(RecordedApi.recorded("cai/buckets-iam.json"));
        Map<String, JsonNode> policies = new HashMap<>();
        iam.path("assets").forEach(a -> policies.put(a.path("name").asText(), a.path("iamPolicy")));
        // the tfstate declares allUsers on the public bucket only; the audit bucket's recorded binding is
        // neutralised by enforced public access prevention
        normalize("buckets-page1.json", "storage.bucket", a -> a.set("iamPolicy", policies.get(a.path("name").asText())), byId);
        normalize("buckets-page2.json", "storage.bucket", a -> a.set("iamPolicy", policies.get(a.path("name").asText())), byId);
        normalize("firewalls.json", "network.firewall", a -> { }, byId);
        normalize("instances.json", "compute.instance", a -> { }, byId);
        normalize("service-accounts.json", "identity.user", a -> a.putArray(ServiceAccountCollector.PROJECT_ROLES), byId);
        normalize("keys.json", "identity.key", a -> { }, byId);
        normalize("crypto-keys.json", "kms.key", a -> { }, byId);
        return byId;
    }

    void normalize(String fixture, String type, Consumer<ObjectNode> enrich, Map<String, Resource> out)
            throws Exception {
        ResourceDescriptor d = provider.descriptors().stream().filter(x -> x.type().equals(type)).findFirst()
                .orElseThrow();
        for (JsonNode a : ModelJson.mapper().readTree(RecordedApi.recorded("cai/" + fixture)).path("assets")) {
            ObjectNode asset = a.deepCopy();
            enrich.accept(asset);
            NativeItem item = new NativeItem(asset.path("name").asText(), "cw-demo-prod", AssetJson.location(asset),
                    asset);
            var n = d.normalizer().normalize(item);
            out.put(item.id(), Resource.builder().cloud(io.cloudwarden.model.Cloud.GCP).account(item.account())
                    .region(item.region()).type(type).id(item.id()).name(n.name()).tags(n.tags())
                    .attributes(n.attributes()).build());
        }
    }

    /** Attribute names whose baseline value differs from the collected value. */
    static List<String> differences(Resource baseline, Resource actual) {
        List<String> diffs = new ArrayList<>();
        baseline.attributes().fields().forEachRemaining(e -> {
            if (!e.getValue().equals(actual.attributes().get(e.getKey()))) {
                diffs.add(e.getKey());
            }
        });
        return diffs;
    }

    @Test
    void mappedStateEqualsTheNormalizedRecordedEstate() throws Exception {
        BaselineResult result = provider.baselineMapper().map(instances(state()));
        Map<String, Resource> actual = collected();

        assertThat(result.resources()).hasSize(11);
        for (Resource b : result.resources()) {
            Resource a = actual.get(b.id());
            assertThat(a).as("collected resource for %s", b.id()).isNotNull();
            assertThat(b.type()).isEqualTo(a.type());
            assertThat(b.account()).isEqualTo(a.account());
            assertThat(b.region()).as("region of %s", b.id()).isEqualTo(a.region());
            assertThat(differences(b, a)).as("drift of %s", b.id()).isEmpty();
        }
        assertThat(result.notCompared()).singleElement()
                .satisfies(nc -> assertThat(nc.address()).isEqualTo("google_pubsub_topic.audit"));
    }

    /** Baseline-mode drift of the collected resources the baseline manages (unmanaged ones left out). */
    static DriftReport drift(List<Resource> baseline, Map<String, Resource> collected) {
        List<Resource> observed = baseline.stream().map(b -> collected.get(b.id())).toList();
        return new DriftEngine().compareToBaseline(baseline, Snapshot.of(Instant.parse("2026-12-01T00:00:00Z"),
                observed, List.of()), IgnoreRules.none(), List.of());
    }

    @Test
    void anEstateExactlyAsTerraformMadeItIncludingTheProvidersDefaultLabelsHasNoDrift() throws Exception {
        // public_assets: labels {team}, terraform_labels {env (provider default_labels), team}; the instance web-1:
        // labels {}, terraform_labels {env}. GCP has exactly those labels.
        List<Resource> baseline = provider.baselineMapper().map(instances(state())).resources();

        DriftReport report = drift(baseline, collected());

        assertThat(report.drift()).isEmpty();
        assertThat(baseline).filteredOn(r -> r.id().equals("//storage.googleapis.com/cw-demo-public-assets"))
                .singleElement().satisfies(b -> assertThat(b.tags()).containsOnlyKeys("env", "team"));
    }

    @Test
    void aLabelAddedOutsideTerraformIsDriftEvenOnceARefreshPutItIntoEffectiveLabels() throws Exception {
        JsonNode state = state();
        for (JsonNode r : state.path("resources")) {
            if (r.path("name").asText().equals("public_assets")) {
                ((ObjectNode) r.at("/instances/0/attributes/effective_labels")).put("owner", "bob");
            }
        }
        Map<String, Resource> collected = collected();
        String bucket = "//storage.googleapis.com/cw-demo-public-assets";
        collected.put(bucket, collected.get(bucket).toBuilder().tag("owner", "bob").build());

        DriftReport report = drift(provider.baselineMapper().map(instances(state)).resources(), collected);

        assertThat(report.drift()).singleElement().satisfies(d -> {
            assertThat(d.resource().id()).isEqualTo(bucket);
            assertThat(d.patch()).extracting(AttributeChange::op, AttributeChange::path)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("add", "/tags/owner"));
        });
    }

    @Test
    void aStateWrittenBeforeProvider5WithoutTerraformLabelsUsesLabels() {
        ObjectNode bucket = ModelJson.mapper().createObjectNode().put("name", "old").put("project", "p")
                .put("location", "US");
        bucket.putObject("labels").put("env", "prod");

        Resource r = provider.baselineMapper().map(List.of(new TerraformInstance("google_storage_bucket.old",
                "google_storage_bucket", "old", "registry.terraform.io/hashicorp/google", bucket))).resources().get(0);

        assertThat(r.tags()).containsExactly(Map.entry("env", "prod"));
    }

    @Test
    void attributesTheStateCannotKnowAreOmitted() throws Exception {
        Map<String, Resource> byId = new HashMap<>();
        provider.baselineMapper().map(instances(state())).resources().forEach(r -> byId.put(r.id(), r));

        Resource vm = byId.get("//compute.googleapis.com/projects/cw-demo-prod/zones/us-central1-a/instances/web-1");
        assertThat(vm.attributes().has("state")).isFalse();
        assertThat(vm.attributes().has("publicIp")).isFalse();
        Resource sa = byId.get("//iam.googleapis.com/projects/cw-demo-prod/serviceAccounts/104857392018475629301");
        assertThat(sa.attributes().has("admin")).isFalse();
        Resource key = byId.get("//cloudkms.googleapis.com/projects/cw-demo-prod/locations/us-central1/keyRings/"
                + "compute/cryptoKeys/disks");
        assertThat(key.attributes().has("enabled")).isFalse();
        assertThat(key.attributes().path("rotationEnabled").asBoolean()).isFalse();
    }

    @Test
    void plantedDriftShowsUpOnExactlyThePlantedAttributes() throws Exception {
        JsonNode state = state();
        for (JsonNode r : state.path("resources")) {
            JsonNode attrs = r.at("/instances/0/attributes");
            if (r.path("name").asText().equals("public_assets")) {
                ((ObjectNode) attrs.at("/versioning/0")).put("enabled", true);
            }
            if (r.path("name").asText().equals("ssh")) {
                ((ObjectNode) attrs).putArray("source_ranges").add("10.0.0.0/8");
            }
            if (r.path("name").asText().equals("logs")) {
                ((ObjectNode) attrs).put("rotation_period", "2592000s");
            }
        }
        Map<String, Resource> actual = collected();
        Map<String, List<String>> drift = new HashMap<>();
        for (Resource b : provider.baselineMapper().map(instances(state)).resources()) {
            List<String> d = differences(b, actual.get(b.id()));
            if (!d.isEmpty()) {
                drift.put(b.id(), d);
            }
        }

        assertThat(drift).containsOnly(
                Map.entry("//storage.googleapis.com/cw-demo-public-assets", List.of("versioning")),
                Map.entry("//compute.googleapis.com/projects/cw-demo-prod/global/firewalls/allow-ssh-anywhere",
                        List.of("rules", "internetIngress")),
                Map.entry("//cloudkms.googleapis.com/projects/cw-demo-prod/locations/europe-west1/keyRings/storage/"
                        + "cryptoKeys/logs", List.of("rotationPeriodDays")));
    }

    @Test
    void keyWhoseAccountIsNotInTheStateIsNotCompared() throws Exception {
        List<TerraformInstance> onlyKey = instances(state()).stream()
                .filter(i -> i.type().equals("google_service_account_key")).toList();

        BaselineResult r = provider.baselineMapper().map(onlyKey);

        assertThat(r.resources()).isEmpty();
        assertThat(r.notCompared()).singleElement().satisfies(nc -> assertThat(nc.reason()).contains("unique id"));
    }
}
