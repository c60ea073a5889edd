package io.cloudwarden.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ScanTarget;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AwsSessionTest extends RecordedApi {

    @Test
    void withoutConfiguredAccountsAndRegionsTargetsComeFromStsAndDescribeRegions() {
        wm.stubFor(query("GetCallerIdentity").willReturn(xml("sts/get-caller-identity.xml")));
        wm.stubFor(query("DescribeRegions").willReturn(xml("ec2/describe-regions.xml")));
        ProviderConfig c = config(Map.of());
        try (AwsSession s = new AwsSession(new ProviderConfig(Cloud.AWS, c.endpoint(), List.of(), List.of(),
                c.settings()))) {
            assertThat(s.targets()).containsExactly(new ScanTarget("111122223333", List.of("eu-west-1", "us-east-1")));
            assertThat(s.callerAccount()).isEqualTo("111122223333");
        }
    }

    @Test
    void organizationFanOutAssumesTheRoleInEachAccountWithTheExternalId() {
        wm.stubFor(query("AssumeRole").willReturn(xml("sts/assume-role.xml")));
        wm.stubFor(query("DescribeSecurityGroups").willReturn(xml("ec2/describe-security-groups-page2.xml")));
        ProviderConfig c = config(Map.of("assumeRole", "CloudwardenAudit", "externalId", "cw-ext-42"));
        try (AwsSession s = new AwsSession(new ProviderConfig(Cloud.AWS, c.endpoint(), List.of("444455556666"),
                List.of("us-east-1"), c.settings()))) {
            assertThat(s.targets()).containsExactly(new ScanTarget("444455556666", List.of("us-east-1")));
            var items = new java.util.ArrayList<io.cloudwarden.engine.spi.NativeItem>();
            descriptor(ResourceTypes.NETWORK_FIREWALL).collector().collect(s, new io.cloudwarden.engine.spi.Shard(
                    Cloud.AWS, "444455556666", "us-east-1", ResourceTypes.NETWORK_FIREWALL), items::add);
            assertThat(items).hasSize(1);
        }
        wm.verify(postRequestedFor(urlPathEqualTo("/")).withRequestBody(containing("Action=AssumeRole"))
                .withRequestBody(containing("RoleArn=arn%3Aaws%3Aiam%3A%3A444455556666%3Arole%2FCloudwardenAudit"))
                .withRequestBody(containing("ExternalId=cw-ext-42")));
        // the EC2 call is signed with the assumed role's temporary key, not the base key
        wm.verify(postRequestedFor(urlPathEqualTo("/")).withRequestBody(containing("Action=DescribeSecurityGroups"))
                .withHeader("Authorization", matching(".*Credential=ASIAIOSFODNN7EXAMPLE/.*")));
    }

    @Test
    void badSettingsAreClearErrorsThatNeverEchoSecrets() {
        ProviderConfig onlySecret = new ProviderConfig(Cloud.AWS, Optional.of(URI.create("http://127.0.0.1:1")),
                List.of(), List.of(), Map.of("secretAccessKey", "do-not-print-me"));
        assertThatThrownBy(() -> new AwsSession(onlySecret)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("accessKeyId").hasMessageNotContaining("do-not-print-me");
        assertThatThrownBy(() -> new AwsSession(config(Map.of("maxAttempts", "many")))).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("settings.maxAttempts");
    }
}
