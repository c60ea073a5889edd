package io.cloudwarden.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.ResourceTypes;
import java.util.List;
import org.junit.jupiter.api.Test;

class Ec2CollectorsTest extends RecordedApi {

    private void stubSecurityGroupPages() {
        stubSecurityGroups(wm);
    }

    @Test
    void securityGroupsAreReadAcrossPagesAndNormalizedRuleByRule() {
        stubSecurityGroupPages();

        List<Resource> groups = scan(descriptor(ResourceTypes.NETWORK_FIREWALL), "us-east-1");

        assertThat(groups).extracting(Resource::id).containsExactly(
                "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d4e5f60001",
                "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d4e5f60002");
        Resource web = groups.get(0);
        assertThat(web.name()).isEqualTo("web");
        assertThat(web.account()).isEqualTo(ACCOUNT);
        assertThat(web.region()).isEqualTo("us-east-1");
        assertThat(web.tags()).containsEntry("env", "prod");
        JsonNode rules = web.attributes().get("rules");
        assertThat(rules).hasSize(4);
        // sorted: egress before ingress; then protocol, ports
        assertThat(rules.get(0).toString()).isEqualTo(
                "{\"direction\":\"egress\",\"action\":\"allow\",\"protocol\":\"all\",\"fromPort\":null,\"toPort\":null,"
                        + "\"ranges\":[\"0.0.0.0/0\"]}");
        assertThat(rules.get(1).toString()).isEqualTo(
                "{\"direction\":\"ingress\",\"action\":\"allow\",\"protocol\":\"tcp\",\"fromPort\":22,\"toPort\":22,"
                        + "\"ranges\":[\"0.0.0.0/0\",\"10.0.0.0/8\"]}");
        assertThat(rules.get(2).toString()).isEqualTo(
                "{\"direction\":\"ingress\",\"action\":\"allow\",\"protocol\":\"tcp\",\"fromPort\":443,\"toPort\":443,"
                        + "\"ranges\":[\"0.0.0.0/0\",\"::/0\"]}");
        assertThat(rules.get(3).toString()).isEqualTo(
                "{\"direction\":\"ingress\",\"action\":\"allow\",\"protocol\":\"tcp\",\"fromPort\":8080,\"toPort\":8080,"
                        + "\"ranges\":[]}");
        assertThat(web.attributes().get("internetIngress").toString()).isEqualTo(
                "[{\"protocol\":\"tcp\",\"fromPort\":22,\"toPort\":22},{\"protocol\":\"tcp\",\"fromPort\":443,\"toPort\":443}]");
        // the referenced group stays in raw
        assertThat(web.raw().at("/IpPermissions/2/UserIdGroupPairs/0/GroupId").asText())
                .isEqualTo("sg-0a1b2c3d4e5f60002");

        Resource app = groups.get(1);
        assertThat(app.attributes().get("rules").toString()).isEqualTo(
                "[{\"direction\":\"ingress\",\"action\":\"allow\",\"protocol\":\"icmp\",\"fromPort\":null,\"toPort\":null,"
                        + "\"ranges\":[\"10.0.0.0/16\"]}]");
        assertThat(app.attributes().get("internetIngress")).isEmpty();
        wm.verify(2, postRequestedFor(urlPathEqualTo("/")).withRequestBody(containing("Action=DescribeSecurityGroups")));
    }

    @Test
    void throttlingIsAnsweredByTheSdkRetry() {
        wm.stubFor(query("DescribeSecurityGroups").inScenario("throttle").whenScenarioStateIs(STARTED)
                .willReturn(xml(503, "ec2/request-limit-exceeded.xml")).willSetStateTo("retried"));
        wm.stubFor(query("DescribeSecurityGroups").inScenario("throttle").whenScenarioStateIs("retried")
                .willReturn(xml("ec2/describe-security-groups-page2.xml")));

        List<Resource> groups = scan(descriptor(ResourceTypes.NETWORK_FIREWALL), "us-east-1");

        assertThat(groups).extracting(Resource::name).containsExactly("app");
        wm.verify(2, postRequestedFor(urlPathEqualTo("/")));
    }

    @Test
    void unauthorizedOperationInOneRegionFailsThatShardWithTheNativeCode() {
        wm.stubFor(query("DescribeSecurityGroups").willReturn(xml(403, "ec2/unauthorized-operation.xml")));

        assertThatThrownBy(() -> scan(descriptor(ResourceTypes.NETWORK_FIREWALL), "eu-west-1"))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.cloud()).isEqualTo(Cloud.AWS);
                    assertThat(e.operation()).isEqualTo("ec2:DescribeSecurityGroups");
                    assertThat(e.nativeCode()).isEqualTo("UnauthorizedOperation");
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void throttlingThatOutlastsTheRetriesIsARetryableProviderException() {
        wm.stubFor(query("DescribeSecurityGroups").willReturn(xml(503, "ec2/request-limit-exceeded.xml")));

        assertThatThrownBy(() -> scan(descriptor(ResourceTypes.NETWORK_FIREWALL), "us-east-1"))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.nativeCode()).isEqualTo("RequestLimitExceeded");
                    assertThat(e.retryable()).isTrue();
                });
        wm.verify(3, postRequestedFor(urlPathEqualTo("/")));
    }

    @Test
    void aMalformedBodyIsAProviderException() {
        wm.stubFor(query("DescribeSecurityGroups").willReturn(xml("ec2/malformed.xml")));

        assertThatThrownBy(() -> scan(descriptor(ResourceTypes.NETWORK_FIREWALL), "us-east-1"))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.operation()).isEqualTo("ec2:DescribeSecurityGroups");
                    assertThat(e.nativeCode()).isEqualTo("MalformedResponse");
                });
    }

    @Test
    void anUnreachableRegionIsARetryableProviderException() {
        int port = wm.port();
        wm.stop();
        try {
            assertThatThrownBy(() -> scan(descriptor(ResourceTypes.NETWORK_FIREWALL), "ap-south-2"))
                    .isInstanceOfSatisfying(ProviderException.class, e -> {
                        assertThat(e.nativeCode()).isEqualTo("Unreachable");
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.getMessage()).doesNotContain("wJalrXUtnFEMI");
                    });
        } finally {
            wm = new com.github.tomakehurst.wiremock.WireMockServer(
                    com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().port(port));
            wm.start();
        }
    }

    @Test
    void fetchRereadsOneGroupAndIsEmptyWhenItIsGone() {
        wm.stubFor(query("DescribeSecurityGroups").withRequestBody(containing("GroupId.1=sg-0a1b2c3d4e5f60002"))
                .willReturn(xml("ec2/describe-security-groups-page2.xml")));
        wm.stubFor(query("DescribeSecurityGroups").withRequestBody(containing("GroupId.1=sg-0000000000000dead"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(400)
                        .withBody("<Response><Errors><Error><Code>InvalidGroup.NotFound</Code><Message>The security "
                                + "group 'sg-0000000000000dead' does not exist</Message></Error></Errors>"
                                + "<RequestID>x</RequestID></Response>")));
        var collector = descriptor(ResourceTypes.NETWORK_FIREWALL).collector();

        var found = collector.fetch(session, new ResourceRef(Cloud.AWS, ACCOUNT, "us-east-1",
                ResourceTypes.NETWORK_FIREWALL, "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d4e5f60002"));
        var gone = collector.fetch(session, new ResourceRef(Cloud.AWS, ACCOUNT, "us-east-1",
                ResourceTypes.NETWORK_FIREWALL, "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0000000000000dead"));

        assertThat(found).get().extracting(i -> i.id())
                .isEqualTo("arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d4e5f60002");
        assertThat(gone).isEmpty();
    }

    @Test
    void instancesCarryStateIdentityDiskEncryptionAndImdsV2() {
        wm.stubFor(query("DescribeVolumes").willReturn(xml("ec2/describe-volumes.xml")));
        wm.stubFor(query("DescribeInstances").willReturn(xml("ec2/describe-instances.xml")));

        List<Resource> instances = scan(descriptor(ResourceTypes.COMPUTE_INSTANCE), "us-east-1");

        assertThat(instances).hasSize(2);
        Resource web = instances.get(0);
        assertThat(web.id()).isEqualTo("arn:aws:ec2:us-east-1:111122223333:instance/i-0abc1234def567890");
        assertThat(web.name()).isEqualTo("web-1");
        assertThat(web.attributes().toString()).isEqualTo("{\"state\":\"running\",\"publicIp\":\"54.210.10.20\","
                + "\"imageId\":\"ami-0c55b159cbfafe1f0\",\"identity\":\"web-profile\",\"diskEncryption\":false,"
                + "\"metadataHardened\":false,\"os\":null,\"patch\":null,\"utilization\":null,\"group\":null}");
        Resource batch = instances.get(1);
        assertThat(batch.attributes().toString()).isEqualTo("{\"state\":\"stopped\",\"publicIp\":null,"
                + "\"imageId\":\"ami-0c55b159cbfafe1f0\",\"identity\":null,\"diskEncryption\":true,"
                + "\"metadataHardened\":true,\"os\":null,\"patch\":null,\"utilization\":null,\"group\":null}");
        // CloudWatch and Auto Scaling are not served here: the evidence says why (UtilizationCollectorsTest reads them)
        assertThat(web.raw().path("UtilizationError").asText()).isNotBlank();
        assertThat(web.raw().path("AutoScalingGroupError").asText()).isNotBlank();
    }
}
