package io.cloudwarden.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Resource;
import io.cloudwarden.provider.aws.session.AwsSession;
import io.cloudwarden.testkit.recorded.RecordedApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base for recorded-API tests: a WireMock server serving AWS wire-format fixtures from
 * {@code src/test/resources/recorded}, and an {@link AwsSession} pointed at it with test credentials and instant
 * retries (3 attempts).
 */
public abstract class RecordedApi {
    public static final String ACCOUNT = "111122223333";
    protected RecordedApiServer api;
    protected WireMockServer wm;
    protected AwsSession session;

    @BeforeEach
    void startWireMock() {
        api = RecordedApiServer.http();
        wm = api.wireMock();
        session = new AwsSession(config(Map.of()));
    }

    @AfterEach
    void stopWireMock() {
        if (session != null) {
            session.close();
        }
        if (wm != api.wireMock()) {
            wm.stop(); // a test replaced the server (Ec2CollectorsTest restarts one on the same port)
        }
        api.close();
    }

    protected ProviderConfig config(Map<String, String> extra) {
        return config(api.endpoint(), extra);
    }

    /** The session configuration of the recorded tier: test credentials, one account and region, instant retries. */
    static ProviderConfig config(URI endpoint, Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("accessKeyId", "AKIAIOSFODNN7EXAMPLE",
                "secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "maxAttempts", "3",
                "retryBaseDelayMs", "0"));
        settings.putAll(extra);
        return new ProviderConfig(Cloud.AWS, Optional.of(endpoint), List.of(ACCOUNT), List.of("us-east-1"), settings);
    }

    public static String fixture(String path) {
        return RecordedApiServer.fixture(path);
    }

    protected static ResponseDefinitionBuilder xml(String path) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/xml;charset=UTF-8")
                .withBody(fixture(path));
    }

    protected static ResponseDefinitionBuilder xml(int status, String path) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml;charset=UTF-8")
                .withBody(fixture(path));
    }

    protected static ResponseDefinitionBuilder json(String path) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody(fixture(path));
    }

    /**
     * A CloudWatch call: the SDK speaks Smithy RPC v2 CBOR ({@code POST /service/GraniteServiceVersion20100801/
     * operation/<Op>}). Fixtures are stored as the response's JSON shape (readable, diffable) and served as the CBOR
     * CloudWatch sends: the same map, with {@code Timestamps} items as CBOR tag 1 (epoch seconds).
     */
    protected static MappingBuilder cloudWatch(String operation) {
        return post(urlPathEqualTo("/service/GraniteServiceVersion20100801/operation/" + operation));
    }

    protected static ResponseDefinitionBuilder cbor(String path) {
        try {
            var json = io.cloudwarden.model.ModelJson.mapper().readTree(fixture(path));
            var out = new java.io.ByteArrayOutputStream();
            try (var g = new com.fasterxml.jackson.dataformat.cbor.CBORFactory().createGenerator(out)) {
                writeCbor(g, json, false);
            }
            return aResponse().withStatus(200).withHeader("Content-Type", "application/cbor")
                    .withHeader("smithy-protocol", "rpc-v2-cbor").withBody(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes a CBOR request body (what the SDK sent to CloudWatch) to JSON, for assertions. */
    protected static com.fasterxml.jackson.databind.JsonNode cborBody(byte[] body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.cbor.CBORFactory())
                    .readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeCbor(com.fasterxml.jackson.dataformat.cbor.CBORGenerator g,
            com.fasterxml.jackson.databind.JsonNode n, boolean timestamps) throws IOException {
        if (n.isObject()) {
            g.writeStartObject();
            for (var it = n.fields(); it.hasNext(); ) {
                var e = it.next();
                g.writeFieldName(e.getKey());
                writeCbor(g, e.getValue(), e.getKey().equals("Timestamps"));
            }
            g.writeEndObject();
        } else if (n.isArray()) {
            g.writeStartArray();
            for (var item : n) {
                if (timestamps) {
                    g.writeTag(1);
                    g.writeNumber((double) Instant.parse(item.asText()).getEpochSecond());
                } else {
                    writeCbor(g, item, false);
                }
            }
            g.writeEndArray();
        } else if (n.isTextual()) {
            g.writeString(n.asText());
        } else if (n.isIntegralNumber()) {
            g.writeNumber(n.asLong());
        } else if (n.isNumber()) {
            g.writeNumber(n.asDouble());
        } else if (n.isBoolean()) {
            g.writeBoolean(n.asBoolean());
        } else {
            g.writeNull();
        }
    }

    /** A query-protocol call (EC2, IAM, STS): POST / with {@code Action=...} in the form body. */
    protected static MappingBuilder query(String action) {
        return post(urlPathEqualTo("/")).withRequestBody(containing("Action=" + action + "&"));
    }

    /** A KMS JSON 1.1 call, selected by the {@code X-Amz-Target} header. */
    protected static MappingBuilder kms(String operation) {
        return post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("TrentService." + operation));
    }

    /** Collects a shard and normalizes like the pipeline does (ref, raw, observedAt filled by the framework). */
    protected List<Resource> scan(ResourceDescriptor d, String region) {
        List<NativeItem> items = new ArrayList<>();
        d.collector().collect(session, new Shard(Cloud.AWS, ACCOUNT, region, d.type()), items::add);
        return items.stream().map(i -> toResource(d, i)).toList();
    }

    public static Resource toResource(ResourceDescriptor d, NativeItem i) {
        var n = d.normalizer().normalize(i);
        return Resource.builder().cloud(Cloud.AWS).account(i.account()).region(i.region()).type(d.type()).id(i.id())
                .name(n.name()).nativeType(d.nativeType()).tags(n.tags()).attributes(n.attributes()).raw(i.json())
                .observedAt(Instant.parse("2026-11-23T10:00:00Z")).build();
    }

    /** A GET on an S3 bucket sub-resource ({@code /bucket?policyStatus}), path-style as with an endpoint override. */
    protected static MappingBuilder s3Get(String bucket, String subresource) {
        return com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/" + bucket))
                .withQueryParam(subresource, com.github.tomakehurst.wiremock.client.WireMock.matching(".*"));
    }

    protected static ResponseDefinitionBuilder s3Error(int status, String path) {
        return xml(status, "s3/" + path);
    }

    /** Three buckets over two ListBuckets pages (see the fixtures' names for what each one is). */
    protected void stubS3Estate() {
        stubS3Estate(wm);
    }

    static void stubS3Estate(WireMockServer wm) {
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/"))
                .withQueryParam("continuation-token", com.github.tomakehurst.wiremock.client.WireMock.absent())
                .willReturn(xml("s3/list-buckets-page1.xml")));
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/"))
                .withQueryParam("continuation-token", equalTo("dGhpcy1pcy1hLXRva2Vu"))
                .willReturn(xml("s3/list-buckets-page2.xml")));
        String pub = "cw-public-assets";
        wm.stubFor(s3Get(pub, "location").willReturn(xml("s3/location-us-east-1.xml")));
        wm.stubFor(s3Get(pub, "publicAccessBlock").willReturn(s3Error(404, "cw-public-assets-no-pab.xml")));
        wm.stubFor(s3Get(pub, "policyStatus").willReturn(xml("s3/policy-status-public.xml")));
        wm.stubFor(s3Get(pub, "policy").willReturn(json("s3/cw-public-assets-policy.json")));
        wm.stubFor(s3Get(pub, "acl").willReturn(xml("s3/acl-private.xml")));
        wm.stubFor(s3Get(pub, "encryption").willReturn(xml("s3/encryption-sse-s3.xml")));
        wm.stubFor(s3Get(pub, "versioning").willReturn(xml("s3/versioning-never.xml")));
        wm.stubFor(s3Get(pub, "logging").willReturn(xml("s3/logging-off.xml")));
        wm.stubFor(s3Get(pub, "tagging").willReturn(xml("s3/tags-prod.xml")));
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
        wm.stubFor(s3Get(legacy, "publicAccessBlock").willReturn(s3Error(404, "cw-legacy-acl-no-pab.xml")));
        wm.stubFor(s3Get(legacy, "policyStatus").willReturn(s3Error(404, "cw-legacy-acl-no-policy.xml")));
        wm.stubFor(s3Get(legacy, "policy").willReturn(s3Error(404, "cw-legacy-acl-no-policy.xml")));
        wm.stubFor(s3Get(legacy, "acl").willReturn(xml("s3/acl-public-read.xml")));
        wm.stubFor(s3Get(legacy, "encryption").willReturn(s3Error(404, "cw-legacy-acl-no-encryption.xml")));
        wm.stubFor(s3Get(legacy, "versioning").willReturn(xml("s3/versioning-never.xml")));
        wm.stubFor(s3Get(legacy, "logging").willReturn(xml("s3/logging-off.xml")));
        wm.stubFor(s3Get(legacy, "tagging").willReturn(s3Error(404, "cw-legacy-acl-no-tags.xml")));
    }

    /** Two IAM users over two ListUsers pages (Marker), their MFA, console, policies, groups and access keys. */
    protected void stubIamEstate() {
        stubIamEstate(wm);
    }

    static void stubIamEstate(WireMockServer wm) {
        var W = new Object() {
            MappingBuilder q(String action, String userOrGroup) {
                return query(action).withRequestBody(containing(userOrGroup));
            }
        };
        wm.stubFor(query("ListUsers").withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notContaining("Marker="))
                .willReturn(xml("iam/list-users-page1.xml")));
        wm.stubFor(query("ListUsers").withRequestBody(containing("Marker=AAEAAcdbYXJuOmF3czppYW06OjExMTEyMjIyMzMzMzp1c2VyL2FsaWNl"))
                .willReturn(xml("iam/list-users-page2.xml")));
        String alice = "UserName=alice";
        String ci = "UserName=ci-deployer";
        wm.stubFor(W.q("ListMFADevices", alice).willReturn(xml("iam/alice-mfa.xml")));
        wm.stubFor(W.q("ListMFADevices", ci).willReturn(xml("iam/no-mfa.xml")));
        wm.stubFor(W.q("GetLoginProfile", alice).willReturn(xml("iam/alice-login-profile.xml")));
        wm.stubFor(W.q("GetLoginProfile", ci).willReturn(xml(404, "iam/no-such-entity.xml")));
        wm.stubFor(W.q("ListUserTags", alice).willReturn(xml("iam/alice-tags.xml")));
        wm.stubFor(W.q("ListUserTags", ci).willReturn(xml("iam/no-tags.xml")));
        wm.stubFor(W.q("ListAttachedUserPolicies", alice).willReturn(xml("iam/no-attached-policies.xml")));
        wm.stubFor(W.q("ListAttachedUserPolicies", ci).willReturn(xml("iam/ci-attached-policies.xml")));
        wm.stubFor(W.q("ListUserPolicies", alice).willReturn(xml("iam/no-inline-policies.xml")));
        wm.stubFor(W.q("ListUserPolicies", ci).willReturn(xml("iam/ci-inline-policies.xml")));
        wm.stubFor(W.q("GetUserPolicy", ci).willReturn(xml("iam/ci-inline-break-glass.xml")));
        wm.stubFor(W.q("ListGroupsForUser", alice).willReturn(xml("iam/alice-groups.xml")));
        wm.stubFor(W.q("ListGroupsForUser", ci).willReturn(xml("iam/no-groups.xml")));
        wm.stubFor(W.q("ListAttachedGroupPolicies", "GroupName=Admins").willReturn(xml("iam/admins-attached.xml")));
        wm.stubFor(W.q("ListGroupPolicies", "GroupName=Admins").willReturn(xml("iam/admins-inline.xml")));
        wm.stubFor(query("GetPolicy").willReturn(xml("iam/deploy-artifacts-policy.xml")));
        wm.stubFor(query("GetPolicyVersion").willReturn(xml("iam/deploy-artifacts-v3.xml")));
        wm.stubFor(W.q("ListAccessKeys", alice).willReturn(xml("iam/alice-access-keys.xml")));
        wm.stubFor(W.q("ListAccessKeys", ci).willReturn(xml("iam/ci-access-keys.xml")));
        wm.stubFor(W.q("GetAccessKeyLastUsed", "AccessKeyId=AKIAIOSFODNN7ALICE01").willReturn(xml("iam/alice-key-last-used.xml")));
        wm.stubFor(W.q("GetAccessKeyLastUsed", "AccessKeyId=AKIAI44QH8DHBCIDEPL1").willReturn(xml("iam/ci-key-last-used.xml")));
    }

    public static final String KEY_A = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    public static final String KEY_B = "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321";
    public static final String KEY_C = "arn:aws:kms:us-east-1:111122223333:key/5f8e7d6c-5b4a-4392-8170-fedcba987654";

    /** Two ListKeys pages: a rotating customer key, an AWS-managed key, a disabled non-rotating customer key. */
    protected void stubKmsEstate() {
        stubKmsEstate(wm);
    }

    static void stubKmsEstate(WireMockServer wm) {
        wm.stubFor(kms("ListKeys").withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notContaining("Marker"))
                .willReturn(json("kms/list-keys-page1.json")));
        wm.stubFor(kms("ListKeys").withRequestBody(containing("\"Marker\":\"eyJtYXJrZXIiOiJwYWdlMiJ9\""))
                .willReturn(json("kms/list-keys-page2.json")));
        String[][] keys = {{KEY_A, "a"}, {KEY_B, "b"}, {KEY_C, "c"}};
        for (String[] k : keys) {
            String id = k[0].substring(k[0].indexOf('/') + 1);
            wm.stubFor(kms("DescribeKey").withRequestBody(containing(id))
                    .willReturn(json("kms/describe-key-" + k[1] + ".json")));
        }
        wm.stubFor(kms("GetKeyRotationStatus").withRequestBody(containing("1234abcd-12ab-34cd-56ef-1234567890ab"))
                .willReturn(json("kms/rotation-a.json")));
        wm.stubFor(kms("GetKeyRotationStatus").withRequestBody(containing("5f8e7d6c-5b4a-4392-8170-fedcba987654"))
                .willReturn(json("kms/rotation-c.json")));
        wm.stubFor(kms("ListResourceTags").withRequestBody(containing("1234abcd-12ab-34cd-56ef-1234567890ab"))
                .willReturn(json("kms/tags-a.json")));
        wm.stubFor(kms("ListResourceTags").withRequestBody(containing("5f8e7d6c-5b4a-4392-8170-fedcba987654"))
                .willReturn(json("kms/tags-none.json")));
    }

    /** Two security groups over two DescribeSecurityGroups pages (NextToken). */
    static void stubSecurityGroups(WireMockServer wm) {
        wm.stubFor(query("DescribeSecurityGroups").withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.notContaining("NextToken="))
                .willReturn(xml("ec2/describe-security-groups-page1.xml")));
        wm.stubFor(query("DescribeSecurityGroups").withRequestBody(containing("NextToken=eyJ2IjoiMiIsImMiOiJwYWdlMiJ9"))
                .willReturn(xml("ec2/describe-security-groups-page2.xml")));
    }

    /**
     * Two EC2 instances with their volumes, one Auto Scaling group, their CPU from one CloudWatch GetMetricData,
     * and their SSM managed-node information and patch states (two DescribeInstanceInformation pages).
     */
    static void stubComputeEstate(WireMockServer wm) {
        wm.stubFor(query("DescribeVolumes").willReturn(xml("ec2/describe-volumes.xml")));
        wm.stubFor(query("DescribeInstances").willReturn(xml("ec2/describe-instances.xml")));
        wm.stubFor(query("DescribeAutoScalingGroups").willReturn(xml("autoscaling/describe-auto-scaling-groups.xml")));
        wm.stubFor(cloudWatch("GetMetricData").willReturn(cbor("cloudwatch/get-metric-data-cpu.json")));
        wm.stubFor(ssm("DescribeInstanceInformation").withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.notContaining("NextToken"))
                .willReturn(json("ssm/describe-instance-information-page1.json")));
        wm.stubFor(ssm("DescribeInstanceInformation").withRequestBody(containing("ExampleToken"))
                .willReturn(json("ssm/describe-instance-information-page2.json")));
        wm.stubFor(ssm("DescribeInstancePatchStates").willReturn(json("ssm/describe-instance-patch-states.json")));
    }

    /** An SSM JSON 1.1 call, selected by the {@code X-Amz-Target} header. */
    protected static MappingBuilder ssm(String operation) {
        return post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonSSM." + operation));
    }

    protected static ResourceDescriptor descriptor(String type) {
        return new AwsProvider().descriptors().stream().filter(d -> d.type().equals(type)).findFirst().orElseThrow();
    }
}
