package io.cloudwarden.app.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.charset.StandardCharsets;

/**
 * Recorded AWS responses (copied from the provider's recorded-API tier, real wire formats: EC2/IAM/S3 XML, KMS
 * JSON) and the stubs that serve them: a small estate of three buckets, two security groups, one instance, two IAM
 * users with keys and three KMS keys.
 */
final class Recorded {
    static final String WEB_GROUP = "sg-0a1b2c3d4e5f60001";
    static final String WEB_GROUP_ARN = "arn:aws:ec2:us-east-1:111122223333:security-group/" + WEB_GROUP;
    static final String REVOKED = "revoked";

    private Recorded() {
    }

    static String fixture(String path) {
        return new String(io.cloudwarden.testkit.recorded.RecordedApiServer.resourceBytes(path), StandardCharsets.UTF_8);
    }

    static String envelope(String name) {
        return fixture("envelopes/" + name);
    }

    static ResponseDefinitionBuilder xml(String path) {
        return xml(200, path);
    }

    static ResponseDefinitionBuilder xml(int status, String path) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml;charset=UTF-8")
                .withBody(fixture("recorded/" + path));
    }

    static ResponseDefinitionBuilder json(String path) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody(fixture("recorded/" + path));
    }

    /** A query-protocol call (EC2, IAM): POST / with {@code Action=...} in the form body. */
    static MappingBuilder query(String action) {
        return post(urlPathEqualTo("/")).withRequestBody(containing("Action=" + action + "&"));
    }

    static MappingBuilder kms(String operation) {
        return post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("TrentService." + operation));
    }

    static MappingBuilder s3Get(String bucket, String subresource) {
        return get(urlPathEqualTo("/" + bucket)).withQueryParam(subresource, matching(".*"));
    }

    /**
     * The web security group as one DescribeSecurityGroups re-read answers it: SSH and HTTPS open to the internet
     * until a RevokeSecurityGroupIngress succeeds, then only the private rules (a WireMock scenario).
     */
    static void stubWebGroupUntilRevoked(WireMockServer wm) {
        wm.stubFor(query("DescribeSecurityGroups").withRequestBody(containing("GroupId.1=" + WEB_GROUP))
                .inScenario("web").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(xml("ec2/describe-security-groups-web.xml")));
        wm.stubFor(query("RevokeSecurityGroupIngress").inScenario("web").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(xml("ec2/revoke-security-group-ingress.xml")).willSetStateTo(REVOKED));
        wm.stubFor(query("DescribeSecurityGroups").withRequestBody(containing("GroupId.1=" + WEB_GROUP))
                .inScenario("web").whenScenarioStateIs(REVOKED)
                .willReturn(xml("ec2/describe-security-groups-web-after-revoke.xml")));
    }

    /** SQS SendMessage (JSON 1.0 protocol) answered with the digests of what was sent, as SQS does. */
    static void stubSqsSendMessage(WireMockServer wm) {
        wm.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonSQS.SendMessage"))
                .willReturn(aResponse().withStatus(200).withTransformers(SqsSendMessage.NAME)));
    }

    static void stubEstate(WireMockServer wm) {
        stubS3(wm);
        stubEc2(wm);
        stubIam(wm);
        stubKms(wm);
        // the recorded account runs no Auto Scaling group (compute.group reads one empty page)
        wm.stubFor(query("DescribeAutoScalingGroups").willReturn(xml("autoscaling/describe-auto-scaling-groups-none.xml")));
    }

    static void stubEc2(WireMockServer wm) {
        wm.stubFor(query("DescribeSecurityGroups").withRequestBody(notContaining("NextToken="))
                .withRequestBody(notContaining("GroupId.1="))
                .willReturn(xml("ec2/describe-security-groups-page1.xml")));
        wm.stubFor(query("DescribeSecurityGroups").withRequestBody(containing("NextToken="))
                .willReturn(xml("ec2/describe-security-groups-page2.xml")));
        wm.stubFor(query("DescribeInstances").willReturn(xml("ec2/describe-instances-untagged.xml")));
        wm.stubFor(query("DescribeVolumes").willReturn(xml("ec2/describe-volumes.xml")));
    }

    /** The public-assets bucket alone, as a re-read after an event fetches it (HEAD, then every sub-resource). */
    static void stubPublicAssetsBucket(WireMockServer wm) {
        String pub = "cw-public-assets";
        wm.stubFor(head(urlPathEqualTo("/" + pub)).willReturn(aResponse().withStatus(200)));
        wm.stubFor(s3Get(pub, "location").willReturn(xml("s3/location-us-east-1.xml")));
        wm.stubFor(s3Get(pub, "publicAccessBlock").willReturn(xml(404, "s3/cw-public-assets-no-pab.xml")));
        wm.stubFor(s3Get(pub, "policyStatus").willReturn(xml("s3/policy-status-public.xml")));
        wm.stubFor(s3Get(pub, "policy").willReturn(json("s3/cw-public-assets-policy.json")));
        wm.stubFor(s3Get(pub, "acl").willReturn(xml("s3/acl-private.xml")));
        wm.stubFor(s3Get(pub, "encryption").willReturn(xml("s3/encryption-sse-s3.xml")));
        wm.stubFor(s3Get(pub, "versioning").willReturn(xml("s3/versioning-never.xml")));
        wm.stubFor(s3Get(pub, "logging").willReturn(xml("s3/logging-off.xml")));
        wm.stubFor(s3Get(pub, "tagging").willReturn(xml("s3/tags-prod.xml")));
    }

    static void stubS3(WireMockServer wm) {
        wm.stubFor(get(urlPathEqualTo("/")).withQueryParam("continuation-token", absent())
                .willReturn(xml("s3/list-buckets-page1.xml")));
        wm.stubFor(get(urlPathEqualTo("/")).withQueryParam("continuation-token", equalTo("dGhpcy1pcy1hLXRva2Vu"))
                .willReturn(xml("s3/list-buckets-page2.xml")));
        stubPublicAssetsBucket(wm);
        String logs = "cw-secure-logs";
        wm.stubFor(s3Get(logs, "location").willReturn(xml("s3/location-eu-west-1.xml")));
        wm.stubFor(s3Get(logs, "publicAccessBlock").willReturn(xml("s3/pab-all-on.xml")));
        wm.stubFor(s3Get(logs, "policyStatus").willReturn(xml("s3/policy-status-private.xml")));
        wm.stubFor(s3Get(logs, "policy").willReturn(json("s3/cw-secure-logs-policy.json")));
        wm.stubFor(s3Get(logs, "acl").willReturn(xml("s3/acl-private.xml")));
        wm.stubFor(s3Get(logs, "encryption").willReturn(xml("s3/encryption-sse-kms-customer.xml")));
        wm.stubFor(s3Get(logs, "versioning").willReturn(xml("s3/versioning-enabled.xml")));
        wm.stubFor(s3Get(logs, "logging").willReturn(xml("s3/logging-on.xml")));
        wm.stubFor(s3Get(logs, "tagging").willReturn(xml("s3/tags-logs.xml")));
        String legacy = "cw-legacy-acl";
        wm.stubFor(s3Get(legacy, "location").willReturn(xml("s3/location-us-east-1.xml")));
        wm.stubFor(s3Get(legacy, "publicAccessBlock").willReturn(xml(404, "s3/cw-legacy-acl-no-pab.xml")));
        wm.stubFor(s3Get(legacy, "policyStatus").willReturn(xml(404, "s3/cw-legacy-acl-no-policy.xml")));
        wm.stubFor(s3Get(legacy, "policy").willReturn(xml(404, "s3/cw-legacy-acl-no-policy.xml")));
        wm.stubFor(s3Get(legacy, "acl").willReturn(xml("s3/acl-public-read.xml")));
        // Served as SSE-S3 (every bucket has had default encryption since 2023) rather than the recorded 404: the
        // provider normalizes "no encryption" to keyType null, which the model's snapshot schema rejects on the
        // next read of the latest snapshot (reported to the provider/model owners).
        wm.stubFor(s3Get(legacy, "encryption").willReturn(xml("s3/encryption-sse-s3.xml")));
        wm.stubFor(s3Get(legacy, "versioning").willReturn(xml("s3/versioning-never.xml")));
        wm.stubFor(s3Get(legacy, "logging").willReturn(xml("s3/logging-off.xml")));
        wm.stubFor(s3Get(legacy, "tagging").willReturn(xml(404, "s3/cw-legacy-acl-no-tags.xml")));
    }

    static void stubIam(WireMockServer wm) {
        wm.stubFor(query("ListUsers").withRequestBody(notContaining("Marker="))
                .willReturn(xml("iam/list-users-page1.xml")));
        wm.stubFor(query("ListUsers")
                .withRequestBody(containing("Marker=AAEAAcdbYXJuOmF3czppYW06OjExMTEyMjIyMzMzMzp1c2VyL2FsaWNl"))
                .willReturn(xml("iam/list-users-page2.xml")));
        String alice = "UserName=alice";
        String ci = "UserName=ci-deployer";
        wm.stubFor(query("ListMFADevices").withRequestBody(containing(alice)).willReturn(xml("iam/alice-mfa.xml")));
        wm.stubFor(query("ListMFADevices").withRequestBody(containing(ci)).willReturn(xml("iam/no-mfa.xml")));
        wm.stubFor(query("GetLoginProfile").withRequestBody(containing(alice))
                .willReturn(xml("iam/alice-login-profile.xml")));
        wm.stubFor(query("GetLoginProfile").withRequestBody(containing(ci))
                .willReturn(xml(404, "iam/no-such-entity.xml")));
        wm.stubFor(query("ListUserTags").withRequestBody(containing(alice)).willReturn(xml("iam/alice-tags.xml")));
        wm.stubFor(query("ListUserTags").withRequestBody(containing(ci)).willReturn(xml("iam/no-tags.xml")));
        wm.stubFor(query("ListAttachedUserPolicies").withRequestBody(containing(alice))
                .willReturn(xml("iam/no-attached-policies.xml")));
        wm.stubFor(query("ListAttachedUserPolicies").withRequestBody(containing(ci))
                .willReturn(xml("iam/ci-attached-policies.xml")));
        wm.stubFor(query("ListUserPolicies").withRequestBody(containing(alice))
                .willReturn(xml("iam/no-inline-policies.xml")));
        wm.stubFor(query("ListUserPolicies").withRequestBody(containing(ci))
                .willReturn(xml("iam/ci-inline-policies.xml")));
        wm.stubFor(query("GetUserPolicy").withRequestBody(containing(ci))
                .willReturn(xml("iam/ci-inline-break-glass.xml")));
        wm.stubFor(query("ListGroupsForUser").withRequestBody(containing(alice))
                .willReturn(xml("iam/alice-groups.xml")));
        wm.stubFor(query("ListGroupsForUser").withRequestBody(containing(ci)).willReturn(xml("iam/no-groups.xml")));
        wm.stubFor(query("ListAttachedGroupPolicies").withRequestBody(containing("GroupName=Admins"))
                .willReturn(xml("iam/admins-attached.xml")));
        wm.stubFor(query("ListGroupPolicies").withRequestBody(containing("GroupName=Admins"))
                .willReturn(xml("iam/admins-inline.xml")));
        wm.stubFor(query("GetPolicy").willReturn(xml("iam/deploy-artifacts-policy.xml")));
        wm.stubFor(query("GetPolicyVersion").willReturn(xml("iam/deploy-artifacts-v3.xml")));
        wm.stubFor(query("ListAccessKeys").withRequestBody(containing(alice))
                .willReturn(xml("iam/alice-access-keys.xml")));
        wm.stubFor(query("ListAccessKeys").withRequestBody(containing(ci)).willReturn(xml("iam/ci-access-keys.xml")));
        wm.stubFor(query("GetAccessKeyLastUsed").withRequestBody(containing("AccessKeyId=AKIAIOSFODNN7ALICE01"))
                .willReturn(xml("iam/alice-key-last-used.xml")));
        wm.stubFor(query("GetAccessKeyLastUsed").withRequestBody(containing("AccessKeyId=AKIAI44QH8DHBCIDEPL1"))
                .willReturn(xml("iam/ci-key-last-used.xml")));
    }

    static void stubKms(WireMockServer wm) {
        wm.stubFor(kms("ListKeys").withRequestBody(notContaining("Marker"))
                .willReturn(json("kms/list-keys-page1.json")));
        wm.stubFor(kms("ListKeys").withRequestBody(containing("\"Marker\":\"eyJtYXJrZXIiOiJwYWdlMiJ9\""))
                .willReturn(json("kms/list-keys-page2.json")));
        String[][] keys = {{"1234abcd-12ab-34cd-56ef-1234567890ab", "a"}, {"0987dcba-09fe-87dc-65ba-ab0987654321", "b"},
                {"5f8e7d6c-5b4a-4392-8170-fedcba987654", "c"}};
        for (String[] k : keys) {
            wm.stubFor(kms("DescribeKey").withRequestBody(containing(k[0]))
                    .willReturn(json("kms/describe-key-" + k[1] + ".json")));
        }
        wm.stubFor(kms("GetKeyRotationStatus").withRequestBody(containing(keys[0][0]))
                .willReturn(json("kms/rotation-a.json")));
        wm.stubFor(kms("GetKeyRotationStatus").withRequestBody(containing(keys[2][0]))
                .willReturn(json("kms/rotation-c.json")));
        wm.stubFor(kms("ListResourceTags").withRequestBody(containing(keys[0][0])).willReturn(json("kms/tags-a.json")));
        wm.stubFor(kms("ListResourceTags").withRequestBody(containing(keys[2][0]))
                .willReturn(json("kms/tags-none.json")));
    }
}
