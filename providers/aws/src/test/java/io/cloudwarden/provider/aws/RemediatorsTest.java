package io.cloudwarden.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.RemediationRef;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.remediation.Remediators;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemediatorsTest extends RecordedApi {

    private static Remediator remediator(String action) {
        return new AwsProvider().remediators().stream().filter(r -> r.actionId().equals(action)).findFirst()
                .orElseThrow();
    }

    private static RemediationPlan plan(Remediator r, Resource res, PlannedChange c) {
        return new RemediationPlan("p-1", "k-1", r.actionId(), r.risk(), RemediationRef.Mode.AUTO, res.ref(),
                "f-0123456789abcdef", c.summary(), c.before(), c.after(), c.params(), Actor.SYSTEM,
                Instant.parse("2026-11-23T10:00:00Z"), Instant.parse("2026-11-24T10:00:00Z"));
    }

    private Resource find(List<Resource> resources, String id) {
        return resources.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void blockPublicAccessPlansOnlyForOpenBucketsSendsAllFourFlagsAndVerifiesOnReread() {
        stubS3Estate();
        List<Resource> buckets = scan(descriptor(ResourceTypes.STORAGE_BUCKET), Shard.GLOBAL);
        Remediator r = remediator("storage.bucket/block-public-access");
        Resource pub = find(buckets, "arn:aws:s3:::cw-public-assets");

        assertThat(r.plan(find(buckets, "arn:aws:s3:::cw-secure-logs"))).isEmpty();
        PlannedChange change = r.plan(pub).orElseThrow();
        assertThat(change.before().toString()).isEqualTo("{\"publicAccess\":true}");
        assertThat(change.after().toString()).isEqualTo("{\"publicAccess\":false}");
        assertThat(r.plan(pub)).contains(change); // pure: same input, same plan, no calls

        wm.stubFor(put(urlPathEqualTo("/cw-public-assets")).withQueryParam("publicAccessBlock", matching(".*"))
                .willReturn(aResponse().withStatus(200)));
        RemediationPlan plan = plan(r, pub, change);
        r.apply(session, plan);
        r.apply(session, plan); // idempotent: the same PUT again

        wm.verify(2, putRequestedFor(urlPathEqualTo("/cw-public-assets"))
                .withQueryParam("publicAccessBlock", matching(".*"))
                .withRequestBody(containing("<BlockPublicAcls>true</BlockPublicAcls>"))
                .withRequestBody(containing("<IgnorePublicAcls>true</IgnorePublicAcls>"))
                .withRequestBody(containing("<BlockPublicPolicy>true</BlockPublicPolicy>"))
                .withRequestBody(containing("<RestrictPublicBuckets>true</RestrictPublicBuckets>")));

        wm.stubFor(s3Get("cw-public-assets", "publicAccessBlock").atPriority(1).willReturn(xml("s3/pab-all-on.xml")));
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.head(urlPathEqualTo("/cw-public-assets"))
                .willReturn(aResponse().withStatus(200)));
        var reread = descriptor(ResourceTypes.STORAGE_BUCKET).collector().fetch(session, pub.ref()).orElseThrow();
        assertThat(r.verify(toResource(descriptor(ResourceTypes.STORAGE_BUCKET), reread), plan)).isTrue();
        assertThat(r.verify(pub, plan)).isFalse();
    }

    @Test
    void enableEncryptionSendsSseS3() {
        stubS3Estate();
        List<Resource> buckets = scan(descriptor(ResourceTypes.STORAGE_BUCKET), Shard.GLOBAL);
        Remediator r = remediator("storage.bucket/enable-encryption");
        Resource legacy = find(buckets, "arn:aws:s3:::cw-legacy-acl");

        assertThat(r.plan(find(buckets, "arn:aws:s3:::cw-public-assets"))).isEmpty();
        PlannedChange change = r.plan(legacy).orElseThrow();
        assertThat(change.after().toString())
                .isEqualTo("{\"encryption\":{\"enabled\":true,\"keyType\":\"provider-managed\"}}");

        wm.stubFor(put(urlPathEqualTo("/cw-legacy-acl")).withQueryParam("encryption", matching(".*"))
                .willReturn(aResponse().withStatus(200)));
        r.apply(session, plan(r, legacy, change));

        wm.verify(putRequestedFor(urlPathEqualTo("/cw-legacy-acl")).withQueryParam("encryption", matching(".*"))
                .withRequestBody(containing("<SSEAlgorithm>AES256</SSEAlgorithm>")));
    }

    @Test
    void revokeInternetIngressRevokesOnlyTheOpenRangesAndToleratesAnAlreadyRevokedRule() {
        wm.stubFor(query("DescribeSecurityGroups").withRequestBody(notContaining("NextToken="))
                .willReturn(xml("ec2/describe-security-groups-page1.xml")));
        wm.stubFor(query("DescribeSecurityGroups").withRequestBody(containing("NextToken="))
                .willReturn(xml("ec2/describe-security-groups-page2.xml")));
        List<Resource> groups = scan(descriptor(ResourceTypes.NETWORK_FIREWALL), "us-east-1");
        Remediator r = remediator("network.firewall/revoke-internet-ingress");
        Resource web = groups.get(0);

        assertThat(r.plan(groups.get(1))).isEmpty();
        PlannedChange change = r.plan(web).orElseThrow();
        assertThat(change.params().toString()).isEqualTo("{\"groupId\":\"sg-0a1b2c3d4e5f60001\",\"revoke\":["
                + "{\"ipProtocol\":\"tcp\",\"fromPort\":443,\"toPort\":443,\"cidrIp\":\"0.0.0.0/0\"},"
                + "{\"ipProtocol\":\"tcp\",\"fromPort\":443,\"toPort\":443,\"cidrIpv6\":\"::/0\"},"
                + "{\"ipProtocol\":\"tcp\",\"fromPort\":22,\"toPort\":22,\"cidrIp\":\"0.0.0.0/0\"}]}");
        assertThat(change.after().toString()).isEqualTo("{\"internetIngress\":[]}");

        wm.stubFor(query("RevokeSecurityGroupIngress").willReturn(xml("ec2/revoke-security-group-ingress.xml")));
        RemediationPlan plan = plan(r, web, change);
        r.apply(session, plan);

        wm.verify(postRequestedFor(urlPathEqualTo("/")).withRequestBody(containing("Action=RevokeSecurityGroupIngress"))
                .withRequestBody(containing("GroupId=sg-0a1b2c3d4e5f60001"))
                .withRequestBody(containing("IpPermissions.1.IpProtocol=tcp"))
                .withRequestBody(containing("IpPermissions.1.FromPort=443"))
                .withRequestBody(containing("IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0%2F0"))
                .withRequestBody(containing("IpPermissions.2.Ipv6Ranges.1.CidrIpv6=%3A%3A%2F0"))
                .withRequestBody(containing("IpPermissions.3.FromPort=22"))
                .withRequestBody(notContaining("10.0.0.0"))
                .withRequestBody(notContaining("sg-0a1b2c3d4e5f60002")));

        wm.stubFor(query("RevokeSecurityGroupIngress").atPriority(1)
                .willReturn(xml(400, "ec2/invalid-permission-not-found.xml")));
        r.apply(session, plan); // second run: rules already gone, no error

        wm.stubFor(query("DescribeSecurityGroups").atPriority(1).withRequestBody(containing("GroupId.1="))
                .willReturn(xml("ec2/describe-security-groups-web-after-revoke.xml")));
        var reread = descriptor(ResourceTypes.NETWORK_FIREWALL).collector().fetch(session, web.ref()).orElseThrow();
        Resource after = toResource(descriptor(ResourceTypes.NETWORK_FIREWALL), reread);
        assertThat(r.verify(after, plan)).isTrue();
        assertThat(after.attributes().get("rules")).hasSize(3); // ssh from 10/8, 8080 from a group, egress kept
    }

    @Test
    void deactivateKeyIsHighRiskAndSendsUpdateAccessKeyInactive() {
        stubIamEstate();
        List<Resource> keys = scan(descriptor(ResourceTypes.IDENTITY_KEY), Shard.GLOBAL);
        Remediator r = remediator("identity.key/deactivate");

        assertThat(r.risk()).isEqualTo(RemediationPlan.Risk.HIGH);
        assertThat(r.plan(find(keys, "AKIAI44QH8DHBCIDEPL1"))).isEmpty();
        Resource alice = find(keys, "AKIAIOSFODNN7ALICE01");
        PlannedChange change = r.plan(alice).orElseThrow();

        wm.stubFor(query("UpdateAccessKey").willReturn(xml("iam/update-access-key.xml")));
        r.apply(session, plan(r, alice, change));

        wm.verify(postRequestedFor(urlPathEqualTo("/")).withRequestBody(containing("Action=UpdateAccessKey"))
                .withRequestBody(containing("UserName=alice"))
                .withRequestBody(containing("AccessKeyId=AKIAIOSFODNN7ALICE01"))
                .withRequestBody(containing("Status=Inactive")));
    }

    @Test
    void enableRotationSendsEnableKeyRotation() {
        stubKmsEstate();
        List<Resource> keys = scan(descriptor(ResourceTypes.KMS_KEY), "us-east-1");
        Remediator r = remediator("kms.key/enable-rotation");

        assertThat(r.plan(find(keys, KEY_A))).isEmpty();
        Resource c = find(keys, KEY_C);
        PlannedChange change = r.plan(c).orElseThrow();
        wm.stubFor(kms("EnableKeyRotation").willReturn(json("kms/enable-key-rotation.json")));
        r.apply(session, plan(r, c, change));

        wm.verify(postRequestedFor(urlPathEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("TrentService.EnableKeyRotation"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.equalToJson(
                        "{\"KeyId\":\"" + KEY_C + "\"}")));
    }

    @Test
    void tagAddsTheFindingTagAndVerifiesOnTags() {
        wm.stubFor(query("DescribeVolumes").willReturn(xml("ec2/describe-volumes.xml")));
        wm.stubFor(query("DescribeInstances").willReturn(xml("ec2/describe-instances.xml")));
        List<Resource> instances = scan(descriptor(ResourceTypes.COMPUTE_INSTANCE), "us-east-1");
        Remediator r = remediator("compute.instance/tag");
        Resource web = instances.get(0);
        PlannedChange change = r.plan(web).orElseThrow();
        wm.stubFor(query("CreateTags").willReturn(xml("ec2/create-tags.xml")));

        RemediationPlan plan = plan(r, web, change);
        r.apply(session, plan);

        wm.verify(postRequestedFor(urlPathEqualTo("/")).withRequestBody(containing("Action=CreateTags"))
                .withRequestBody(containing("ResourceId.1=i-0abc1234def567890"))
                .withRequestBody(containing("Tag.1.Key=cloudwarden%3Afinding"))
                .withRequestBody(containing("Tag.1.Value=f-0123456789abcdef")));
        Resource tagged = web.toBuilder().tag(Remediators.FINDING_TAG, "f-0123456789abcdef").build();
        assertThat(r.verify(tagged, plan)).isTrue();
        assertThat(r.verify(web, plan)).isFalse();
        assertThat(r.plan(tagged)).isEmpty();
    }
}
