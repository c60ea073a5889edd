package io.cloudwarden.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudwarden.engine.spi.BaselineResult;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.TerraformInstance;
import io.cloudwarden.model.NotCompared;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.baseline.AwsBaselineMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Terraform state in {@code terraform/terraform.tfstate} declares the same estate the recorded API serves: every
 * mapped resource must come out with the collector's id and, for every attribute the state can know, the same value.
 */
class BaselineMapperTest extends RecordedApi {

    static List<TerraformInstance> readState(String resource) throws Exception {
        JsonNode state;
        try (InputStream in = BaselineMapperTest.class.getResourceAsStream(resource)) {
            state = new ObjectMapper().readTree(in);
        }
        assertThat(state.path("version").asInt()).isEqualTo(4);
        List<TerraformInstance> out = new ArrayList<>();
        for (JsonNode r : state.path("resources")) {
            if (!"managed".equals(r.path("mode").asText())) {
                continue;
            }
            String base = (r.has("module") ? r.get("module").asText() + "." : "") + r.get("type").asText() + "."
                    + r.get("name").asText();
            for (JsonNode i : r.path("instances")) {
                JsonNode key = i.get("index_key");
                String address = key == null ? base : base + (key.isNumber() ? "[" + key.asInt() + "]"
                        : "[\"" + key.asText() + "\"]");
                out.add(new TerraformInstance(address, r.get("type").asText(), r.get("name").asText(),
                        "registry.terraform.io/hashicorp/aws", i.get("attributes")));
            }
        }
        return out;
    }

    private List<Resource> recordedEstate() {
        return recordedEstate(fixture("autoscaling/describe-auto-scaling-groups.xml"));
    }

    /** The recorded estate, with {@code asgXml} as the DescribeAutoScalingGroups answer. */
    private List<Resource> recordedEstate(String asgXml) {
        stubS3Estate();
        stubIamEstate();
        stubKmsEstate();
        wm.stubFor(query("DescribeSecurityGroups").withRequestBody(notContaining("NextToken="))
                .willReturn(xml("ec2/describe-security-groups-page1.xml")));
        wm.stubFor(query("DescribeSecurityGroups").withRequestBody(containing("NextToken="))
                .willReturn(xml("ec2/describe-security-groups-page2.xml")));
        wm.stubFor(query("DescribeVolumes").willReturn(xml("ec2/describe-volumes.xml")));
        wm.stubFor(query("DescribeInstances").willReturn(xml("ec2/describe-instances.xml")));
        wm.stubFor(query("DescribeAutoScalingGroups").willReturn(com.github.tomakehurst.wiremock.client.WireMock
                .aResponse().withStatus(200).withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(asgXml)));
        wm.stubFor(cloudWatch("GetMetricData").willReturn(cbor("cloudwatch/get-metric-data-cpu.json")));
        List<Resource> all = new ArrayList<>();
        for (ResourceDescriptor d : new AwsProvider().descriptors()) {
            all.addAll(scan(d, d.scope() == io.cloudwarden.engine.spi.Scope.GLOBAL ? Shard.GLOBAL : "us-east-1"));
        }
        return all;
    }

    @Test
    void mappedResourcesMatchTheCollectedEstateIdByIdAndAttributeByAttribute() throws Exception {
        BaselineResult baseline = new AwsBaselineMapper().map(readState("/terraform/terraform.tfstate"));
        Map<String, Resource> live = recordedEstate().stream().collect(Collectors.toMap(Resource::matchKey, Function.identity()));

        assertThat(baseline.resources()).extracting(Resource::matchKey)
                .containsExactlyInAnyOrderElementsOf(live.keySet());
        Map<String, Integer> compared = new HashMap<>();
        for (Resource b : baseline.resources()) {
            Resource l = live.get(b.matchKey());
            assertThat(b.region()).as("region of %s", b.id()).isEqualTo(l.region());
            assertThat(b.name()).as("name of %s", b.id()).isEqualTo(l.name());
            assertThat(b.tags()).as("tags of %s", b.id()).isEqualTo(l.tags());
            b.attributes().fields().forEachRemaining(e -> assertCovered(b.id() + " " + e.getKey(), e.getValue(),
                    l.attributes().get(e.getKey())));
            compared.merge(b.type(), b.attributes().size(), Integer::sum);
        }
        // what the state can know is compared in full; what it cannot is left out
        assertThat(compared).containsEntry(ResourceTypes.STORAGE_BUCKET, 3 * 5)
                .containsEntry(ResourceTypes.NETWORK_FIREWALL, 2 * 2)
                .containsEntry(ResourceTypes.COMPUTE_INSTANCE, 2 * 6)
                .containsEntry(ResourceTypes.IDENTITY_USER, 0)
                .containsEntry(ResourceTypes.IDENTITY_KEY, 2 * 3)
                .containsEntry(ResourceTypes.KMS_KEY, 2 * 3)
                .containsEntry(ResourceTypes.COMPUTE_GROUP, 1);
    }

    /** Every value the baseline holds (objects leaf by leaf: a baseline may leave keys out) equals the live one. */
    private static void assertCovered(String at, JsonNode expected, JsonNode live) {
        if (expected.isObject()) {
            assertThat(live).as(at).isNotNull();
            expected.fields().forEachRemaining(e -> assertCovered(at + "/" + e.getKey(), e.getValue(),
                    live.get(e.getKey())));
        } else {
            assertThat(expected).as(at).isEqualTo(live);
        }
    }

    private static final String WEB_ASG = "arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:"
            + "5b0c3e52-7f3a-4d1e-9c2b-1a2b3c4d5e6f:autoScalingGroupName/web";

    private static Resource group(BaselineResult b) {
        return b.resources().stream().filter(r -> r.id().equals(WEB_ASG)).findFirst().orElseThrow();
    }

    private static List<TerraformInstance> without(List<TerraformInstance> state, String... addresses) {
        return state.stream().filter(i -> !List.of(addresses).contains(i.address())).toList();
    }

    private static TerraformInstance with(TerraformInstance i, String field, int value) {
        com.fasterxml.jackson.databind.node.ObjectNode a = i.attributes().deepCopy();
        a.put(field, value);
        return new TerraformInstance(i.address(), i.type(), i.name(), i.provider(), a);
    }

    @Test
    void anAutoScalingGroupIsMappedWithItsCapacityAndTagsAndDesiredOnlyWhereNothingScalesIt() throws Exception {
        List<TerraformInstance> state = readState("/terraform/terraform.tfstate");

        // aws_autoscaling_policy.web_cpu (target tracking) moves the size: desired is the autoscaler's
        Resource scaled = group(new AwsBaselineMapper().map(state));
        assertThat(scaled.type()).isEqualTo(ResourceTypes.COMPUTE_GROUP);
        assertThat(scaled.name()).isEqualTo("web");
        assertThat(scaled.tags()).containsExactly(Map.entry("env", "prod"));
        assertThat(scaled.attributes().toString()).isEqualTo("{\"capacity\":{\"min\":1,\"max\":4}}");

        // without it the state's desired_capacity is the group's configured size
        Resource fixed = group(new AwsBaselineMapper().map(without(state, "aws_autoscaling_policy.web_cpu")));
        assertThat(fixed.attributes().toString()).isEqualTo("{\"capacity\":{\"min\":1,\"max\":4,\"desired\":2}}");

        // a disabled policy scales nothing
        TerraformInstance policy = state.stream().filter(i -> i.type().equals("aws_autoscaling_policy")).findFirst()
                .orElseThrow();
        com.fasterxml.jackson.databind.node.ObjectNode off = policy.attributes().deepCopy();
        off.put("enabled", false);
        List<TerraformInstance> disabled = new ArrayList<>(without(state, policy.address()));
        disabled.add(new TerraformInstance(policy.address(), policy.type(), policy.name(), policy.provider(), off));
        assertThat(group(new AwsBaselineMapper().map(disabled)).attributes().path("capacity").has("desired")).isTrue();

        // a schedule that sets min_size (and leaves max_size, desired_capacity at -1) leaves min out
        com.fasterxml.jackson.databind.node.ObjectNode sched = new ObjectMapper().createObjectNode()
                .put("autoscaling_group_name", "web").put("scheduled_action_name", "nightly").put("min_size", 0)
                .put("max_size", -1).put("desired_capacity", -1).put("recurrence", "0 22 * * *");
        List<TerraformInstance> scheduled = new ArrayList<>(without(state, policy.address()));
        scheduled.add(new TerraformInstance("aws_autoscaling_schedule.nightly", "aws_autoscaling_schedule", "nightly",
                policy.provider(), sched));
        assertThat(group(new AwsBaselineMapper().map(scheduled)).attributes().toString())
                .isEqualTo("{\"capacity\":{\"max\":4,\"desired\":2}}");
    }

    @Test
    void aScalingPolicyOfAGroupTheStateDoesNotDeclareIsNotCompared() throws Exception {
        List<TerraformInstance> state = readState("/terraform/terraform.tfstate");
        BaselineResult b = new AwsBaselineMapper().map(without(state, "aws_autoscaling_group.web"));

        assertThat(b.resources()).noneMatch(r -> r.type().equals(ResourceTypes.COMPUTE_GROUP));
        assertThat(b.notCompared()).filteredOn(n -> n.address().equals("aws_autoscaling_policy.web_cpu"))
                .singleElement().extracting(NotCompared::reason).asString()
                .contains("Auto Scaling group 'web'", "does not declare as aws_autoscaling_group");
    }

    @Test
    void driftComparesTheManagedGroupAndLeavesItsUndeclaredMemberToIt() throws Exception {
        // the group's maximum raised from 4 to 8 in the cloud; the state declares the group, not member i-0abc…
        String raised = fixture("autoscaling/describe-auto-scaling-groups.xml")
                .replace("<MaxSize>4</MaxSize>", "<MaxSize>8</MaxSize>");
        List<Resource> live = recordedEstate(raised);
        BaselineResult baseline = new AwsBaselineMapper().map(without(readState("/terraform/terraform.tfstate"),
                "aws_instance.web[0]"));

        io.cloudwarden.model.DriftReport r = new io.cloudwarden.engine.drift.DriftEngine().compareToBaseline(
                baseline.resources(), io.cloudwarden.model.Snapshot.of(java.time.Instant.EPOCH, live, List.of()),
                io.cloudwarden.engine.drift.IgnoreRules.none(), baseline.notCompared());

        assertThat(r.drift()).filteredOn(d -> d.resource().id().equals(WEB_ASG)).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(io.cloudwarden.model.ResourceDrift.Kind.CHANGED);
            assertThat(d.patch()).singleElement().satisfies(c -> {
                assertThat(c.path()).isEqualTo("/capacity/max");
                assertThat(c.from().asInt()).isEqualTo(4);
                assertThat(c.value().asInt()).isEqualTo(8);
            });
        });
        assertThat(r.drift()).noneMatch(d -> d.kind() == io.cloudwarden.model.ResourceDrift.Kind.UNMANAGED);
        assertThat(r.notCompared()).filteredOn(n -> n.address().endsWith("instance/i-0abc1234def567890"))
                .singleElement().satisfies(n -> {
                    assertThat(n.source()).isEqualTo(io.cloudwarden.engine.drift.DriftEngine.GROUP_MEMBERS_SOURCE);
                    assertThat(n.reason()).contains(WEB_ASG, "which the baseline manages");
                });
    }

    @Test
    void everyTerraformTypeATypeDeclaresIsMapped() {
        for (AwsType t : AwsProvider.TYPES) {
            for (String tf : t.terraformTypes()) {
                TerraformInstance alone = new TerraformInstance(tf + ".x", tf, "x", "registry.terraform.io/hashicorp/aws",
                        new ObjectMapper().createObjectNode());
                assertThat(new AwsBaselineMapper().map(List.of(alone)).notCompared()).as(tf)
                        .noneMatch(n -> n.reason().contains("is not mapped by the AWS provider"));
            }
        }
        TerraformInstance unknown = new TerraformInstance("aws_sqs_queue.q", "aws_sqs_queue", "q",
                "registry.terraform.io/hashicorp/aws", new ObjectMapper().createObjectNode());
        assertThat(new AwsBaselineMapper().map(List.of(unknown)).notCompared()).singleElement()
                .extracting(NotCompared::reason).asString().contains("is not mapped by the AWS provider");
    }

    @Test
    void splitOutPiecesAreFoldedIntoTheirParent() throws Exception {
        BaselineResult baseline = new AwsBaselineMapper().map(readState("/terraform/terraform.tfstate"));
        Resource web = baseline.resources().stream()
                .filter(r -> r.id().endsWith("security-group/sg-0a1b2c3d4e5f60001")).findFirst().orElseThrow();
        Resource logs = baseline.resources().stream().filter(r -> r.id().equals("arn:aws:s3:::cw-secure-logs"))
                .findFirst().orElseThrow();

        // ssh from 10/8 (aws_security_group_rule) and from anywhere (aws_vpc_security_group_ingress_rule) merge
        assertThat(web.attributes().get("rules").get(1).toString()).isEqualTo("{\"direction\":\"ingress\","
                + "\"action\":\"allow\",\"protocol\":\"tcp\",\"fromPort\":22,\"toPort\":22,"
                + "\"ranges\":[\"0.0.0.0/0\",\"10.0.0.0/8\"]}");
        assertThat(logs.attributes().get("publicAccess").asBoolean()).isFalse();
        assertThat(logs.attributes().get("versioning").asBoolean()).isTrue();
    }

    @Test
    void orphanedPiecesAreNotComparedWithAReasonAndSecretsAreNotKept() throws Exception {
        BaselineResult baseline = new AwsBaselineMapper().map(readState("/terraform/terraform.tfstate"));

        assertThat(baseline.notCompared()).extracting(NotCompared::address)
                .containsExactlyInAnyOrder("aws_s3_bucket_versioning.removed", "aws_vpc_security_group_egress_rule.orphan");
        assertThat(baseline.notCompared()).allSatisfy(n -> {
            assertThat(n.source()).isEqualTo("terraform");
            assertThat(n.reason()).contains("does not declare");
        });
        assertThat(baseline.resources()).allSatisfy(r -> assertThat(r.raw().toString())
                .doesNotContain("wJalrXUtnFEMI").doesNotContain("SMTPPASSWORD"));
    }
}
