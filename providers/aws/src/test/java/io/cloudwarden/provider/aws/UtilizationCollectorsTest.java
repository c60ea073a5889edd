package io.cloudwarden.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.cloudwarden.engine.spi.utilization.CpuUtilization;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.model.schema.ResourceValidator;
import io.cloudwarden.provider.aws.compute.instance.InstanceUtilization;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Instance utilization and Auto Scaling groups from recorded wire responses: CloudWatch GetMetricData (RPC v2 CBOR),
 * Auto Scaling DescribeAutoScalingGroups (query protocol), EC2 as elsewhere.
 */
class UtilizationCollectorsTest extends RecordedApi {
    private static final String WEB = "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc1234def567890";
    private static final String GROUP = "arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:"
            + "5b0c3e52-7f3a-4d1e-9c2b-1a2b3c4d5e6f:autoScalingGroupName/web";

    private void stubEstate() {
        wm.stubFor(query("DescribeVolumes").willReturn(xml("ec2/describe-volumes.xml")));
        wm.stubFor(query("DescribeInstances").willReturn(xml("ec2/describe-instances.xml")));
        wm.stubFor(query("DescribeAutoScalingGroups").willReturn(xml("autoscaling/describe-auto-scaling-groups.xml")));
        wm.stubFor(cloudWatch("GetMetricData").willReturn(cbor("cloudwatch/get-metric-data-cpu.json")));
    }

    @Test
    void instancesCarryTheirCpuFromOneBulkMetricsReadAndTheirGroupsArn() {
        stubEstate();

        List<Resource> instances = scan(descriptor(ResourceTypes.COMPUTE_INSTANCE), "us-east-1");

        Resource web = instances.get(0);
        assertThat(web.id()).isEqualTo(WEB);
        assertThat(web.attributes().get("utilization").toString())
                .isEqualTo("{\"cpuAvg\":94.54,\"cpuP95\":99.1,\"windowDays\":7,\"samples\":12}");
        assertThat(web.attributes().get("group").asText()).isEqualTo(GROUP);
        Resource batch = instances.get(1);
        assertThat(batch.attributes().get("utilization").toString())
                .isEqualTo("{\"cpuAvg\":2.07,\"cpuP95\":3.4,\"windowDays\":7,\"samples\":12}");
        assertThat(batch.attributes().get("group").isNull()).as("not tagged with a group").isTrue();
        instances.forEach(r -> assertThat(ResourceValidator.validate(r)).isEmpty());

        List<LoggedRequest> reads = wm.findAll(postRequestedFor(
                urlPathEqualTo("/service/GraniteServiceVersion20100801/operation/GetMetricData")));
        assertThat(reads).as("one GetMetricData for the shard, not one per instance").hasSize(1);
        JsonNode req = cborBody(reads.get(0).getBody());
        assertThat(req.get("MetricDataQueries")).hasSize(2);
        JsonNode q0 = req.at("/MetricDataQueries/0");
        assertThat(q0.get("Id").asText()).isEqualTo("q0");
        assertThat(q0.at("/MetricStat/Metric/Namespace").asText()).isEqualTo("AWS/EC2");
        assertThat(q0.at("/MetricStat/Metric/MetricName").asText()).isEqualTo("CPUUtilization");
        assertThat(q0.at("/MetricStat/Metric/Dimensions/0/Value").asText()).isEqualTo("i-0abc1234def567890");
        assertThat(q0.at("/MetricStat/Period").asInt()).isEqualTo(300);
        assertThat(q0.at("/MetricStat/Stat").asText()).isEqualTo("Average");
    }

    @Test
    void theGroupHasCapacityMembersAndTheSpreadOfItsMembersP95() {
        stubEstate();

        List<Resource> groups = scan(descriptor(ResourceTypes.COMPUTE_GROUP), "us-east-1");

        assertThat(groups).hasSize(1);
        Resource g = groups.get(0);
        assertThat(g.id()).isEqualTo(GROUP);
        assertThat(g.name()).isEqualTo("web");
        assertThat(g.tags()).containsEntry("env", "prod");
        assertThat(g.attributes().toString()).isEqualTo("{\"capacity\":{\"min\":1,\"max\":4,\"desired\":2},"
                + "\"memberIds\":[\"" + WEB + "\",\"arn:aws:ec2:us-east-1:111122223333:instance/i-0fed9876cba543210\"],"
                + "\"utilization\":{\"cpuAvg\":48.31,\"cpuP95\":99.1,\"spread\":95.7,\"windowDays\":7}}");
        assertThat(ResourceValidator.validate(g)).isEmpty();
    }

    @Test
    void deniedMetricsLeaveUtilizationNullWithTheReasonAndStillListTheInstances() {
        stubEstate();
        wm.stubFor(cloudWatch("GetMetricData").willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/cbor").withHeader("smithy-protocol", "rpc-v2-cbor")
                .withBody(cborBytes(Map.of("__type", "com.amazonaws.cloudwatch#AccessDenied",
                        "message", "User is not authorized to perform: cloudwatch:GetMetricData")))));

        List<Resource> instances = scan(descriptor(ResourceTypes.COMPUTE_INSTANCE), "us-east-1");

        assertThat(instances).hasSize(2);
        assertThat(instances).allSatisfy(r -> {
            assertThat(r.attributes().get("utilization").isNull()).isTrue();
            assertThat(r.raw().path("UtilizationError").asText()).isNotBlank();
        });
        assertThat(instances.get(0).attributes().get("group").asText()).isEqualTo(GROUP);
    }

    @Test
    void fiveHundredAndOneInstancesTakeTwoRequestsOfAtMostFiveHundredQueries() {
        wm.stubFor(cloudWatch("GetMetricData").willReturn(cbor("cloudwatch/get-metric-data-cpu.json")));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            ids.add(String.format("i-%017x", i));
        }
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:02:31Z"), ZoneOffset.UTC);

        Map<String, CpuUtilization> read = new InstanceUtilization(clock).read(session, ACCOUNT, "us-east-1", ids);

        List<LoggedRequest> reads = wm.findAll(postRequestedFor(
                urlPathEqualTo("/service/GraniteServiceVersion20100801/operation/GetMetricData")));
        assertThat(reads).hasSize(2);
        List<Integer> sizes = reads.stream().map(r -> cborBody(r.getBody()).get("MetricDataQueries").size()).toList();
        assertThat(sizes).containsExactlyInAnyOrder(500, 1);
        JsonNode first = cborBody(reads.get(0).getBody());
        assertThat(first.get("EndTime").asDouble()).as("aligned down to the 5-minute period")
                .isEqualTo((double) Instant.parse("2026-11-23T10:00:00Z").getEpochSecond());
        assertThat(first.get("StartTime").asDouble())
                .isEqualTo((double) Instant.parse("2026-11-16T10:00:00Z").getEpochSecond());
        // the recorded response answers q0 and q1 of each request: ids 0, 1 and 500
        assertThat(read.keySet()).containsExactlyInAnyOrder(ids.get(0), ids.get(1), ids.get(500));
    }

    private static byte[] cborBytes(Map<String, String> body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper(
                    new com.fasterxml.jackson.dataformat.cbor.CBORFactory()).writeValueAsBytes(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
