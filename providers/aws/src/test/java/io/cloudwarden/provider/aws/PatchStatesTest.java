package io.cloudwarden.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.model.schema.ResourceValidator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * EC2 instances gain {@code os} and {@code patch} from Systems Manager (recorded SSM JSON 1.1 wire format):
 * DescribeInstanceInformation across its pages, DescribeInstancePatchStates once for the batch.
 */
class PatchStatesTest extends RecordedApi {
    private static final String WEB = "i-0abc1234def567890";
    private static final String BATCH = "i-0def5678abc123450";

    @BeforeEach
    void ec2() {
        wm.stubFor(query("DescribeVolumes").willReturn(xml("ec2/describe-volumes.xml")));
        wm.stubFor(query("DescribeInstances").willReturn(xml("ec2/describe-instances.xml")));
    }

    private ResourceDescriptor instances() {
        return new AwsProvider().descriptors().stream()
                .filter(d -> d.type().equals(ResourceTypes.COMPUTE_INSTANCE)).findFirst().orElseThrow();
    }

    @Test
    void managedNodesCarryTheirOsAndPatchCountsAcrossPages() {
        wm.stubFor(ssm("DescribeInstanceInformation").withRequestBody(notContaining("NextToken"))
                .willReturn(json("ssm/describe-instance-information-page1.json")));
        wm.stubFor(ssm("DescribeInstanceInformation").withRequestBody(containing("ExampleToken"))
                .willReturn(json("ssm/describe-instance-information-page2.json")));
        wm.stubFor(ssm("DescribeInstancePatchStates").willReturn(json("ssm/describe-instance-patch-states.json")));

        List<Resource> found = scan(instances(), "us-east-1");

        Resource web = found.get(0);
        assertThat(web.attributes().get("os").toString())
                .isEqualTo("{\"family\":\"linux\",\"name\":\"Amazon Linux\",\"version\":\"2023\"}");
        assertThat(web.attributes().get("patch").toString()).isEqualTo("{\"managed\":true,\"missingCritical\":2,"
                + "\"missingSecurity\":4,\"missingOther\":1,\"lastAssessedAt\":\"2026-11-23T07:01:01Z\","
                + "\"lastInstalledAt\":\"2026-11-16T07:00:00Z\",\"rebootPending\":true}");
        // registered (page 2) but never scanned: managed, nothing known
        Resource batch = found.get(1);
        assertThat(batch.attributes().get("os").path("family").asText()).isEqualTo("windows");
        assertThat(batch.attributes().get("patch").toString()).isEqualTo("{\"managed\":true,\"missingCritical\":null,"
                + "\"missingSecurity\":null,\"missingOther\":null,\"lastAssessedAt\":null,\"lastInstalledAt\":null,"
                + "\"rebootPending\":null}");
        found.forEach(r -> assertThat(ResourceValidator.validate(r)).as(r.id()).isEmpty());
        // one bulk call for both instances, not one per instance; the filter names the batch
        wm.verify(1, postRequestedFor(urlPathEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonSSM.DescribeInstancePatchStates"))
                .withRequestBody(containing(WEB)).withRequestBody(containing(BATCH)));
        wm.verify(2, postRequestedFor(urlPathEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonSSM.DescribeInstanceInformation"))
                .withRequestBody(containing("\"Key\":\"InstanceIds\"")));
    }

    @Test
    void anInstanceSsmDoesNotKnowIsUnmanagedAndNoPatchStatesAreAskedFor() {
        wm.stubFor(ssm("DescribeInstanceInformation").willReturn(json("ssm/describe-instance-information-empty.json")));

        List<Resource> found = scan(instances(), "us-east-1");

        assertThat(found).allSatisfy(r -> assertThat(r.attributes().get("patch").toString()).isEqualTo(
                "{\"managed\":false,\"missingCritical\":null,\"missingSecurity\":null,\"missingOther\":null,"
                        + "\"lastAssessedAt\":null,\"lastInstalledAt\":null,\"rebootPending\":null}"));
        // the family from EC2's PlatformDetails, nothing guessed beyond it
        assertThat(found.get(0).attributes().get("os").toString())
                .isEqualTo("{\"family\":\"linux\",\"name\":null,\"version\":null}");
        wm.verify(0, postRequestedFor(urlPathEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonSSM.DescribeInstancePatchStates")));
    }

    @Test
    void ssmThatCannotBeReadLeavesOsAndPatchNullAndStillReportsTheInstances() {
        wm.stubFor(ssm("DescribeInstanceInformation").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody(fixture("ssm/access-denied.json"))));

        List<Resource> found = scan(instances(), "us-east-1");

        assertThat(found).hasSize(2).allSatisfy(r -> {
            assertThat(r.attributes().get("patch").isNull()).isTrue();
            assertThat(r.attributes().get("os").isNull()).isTrue();
            assertThat(r.raw().path("Ssm").path("Error").asText()).isEqualTo("AccessDeniedException");
        });
    }
}
