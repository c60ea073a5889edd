package io.cloudwarden.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.testkit.contract.ProviderContract;
import io.cloudwarden.testkit.recorded.RecordedApiServer;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shared provider contract over the recorded AWS estate, and the AWS-only declarations. */
class AwsProviderContractTest extends ProviderContract {
    @Override
    protected Cloud cloud() {
        return Cloud.AWS;
    }

    @Override
    protected ProviderConfig config(URI endpoint) {
        return RecordedApi.config(endpoint, Map.of());
    }

    @Override
    protected void stubEstate(RecordedApiServer api) {
        RecordedApi.stubS3Estate(api.wireMock());
        RecordedApi.stubIamEstate(api.wireMock());
        RecordedApi.stubKmsEstate(api.wireMock());
        RecordedApi.stubSecurityGroups(api.wireMock());
        RecordedApi.stubComputeEstate(api.wireMock());
    }

    @Override
    protected Paging paging() {
        // ListKeys page 1 holds KEY_A and the AWS-managed KEY_B (not a kms.key resource), page 2 KEY_C
        return new Paging(ResourceTypes.KMS_KEY, List.of(RecordedApi.KEY_A), List.of(RecordedApi.KEY_C));
    }

    @Override
    protected String failingType() {
        return ResourceTypes.NETWORK_FIREWALL;
    }

    @Override
    protected void failReadsOf(String type, int status, RecordedApiServer api) {
        assertThat(type).isEqualTo(ResourceTypes.NETWORK_FIREWALL);
        api.stub(RecordedApi.query("DescribeSecurityGroups").atPriority(1).willReturn(status == 403
                ? RecordedApi.xml(403, "ec2/unauthorized-operation.xml")
                : aResponse().withStatus(status).withHeader("Content-Type", "text/xml;charset=UTF-8")
                        .withBody("<Response><Errors><Error><Code>InternalError</Code><Message>An internal error has "
                                + "occurred</Message></Error></Errors><RequestID>5b1e0c1a-7e8f-4a52-9d2b-1c3d4e5f6a7b"
                                + "</RequestID></Response>")));
    }

    private static final Pattern SIGNED_SERVICE = Pattern.compile("Credential=[^/]+/[0-9]{8}/[a-z0-9-]+/([a-z0-9-]+)/");
    /** The S3 bucket sub-resources the collector reads, and the IAM action each needs. */
    private static final Map<String, String> S3_SUBRESOURCES = Map.of("location", "GetBucketLocation",
            "publicAccessBlock", "GetBucketPublicAccessBlock", "policyStatus", "GetBucketPolicyStatus",
            "policy", "GetBucketPolicy", "acl", "GetBucketAcl", "encryption", "GetEncryptionConfiguration",
            "versioning", "GetBucketVersioning", "logging", "GetBucketLogging", "tagging", "GetBucketTagging");

    /**
     * The IAM action of a signed request: the service from the SigV4 credential scope (CloudWatch signs as
     * {@code monitoring}), the operation from the protocol: query ({@code Action=}), JSON 1.1
     * ({@code X-Amz-Target}), Smithy RPC v2 CBOR ({@code /operation/<Op>}), or S3's REST paths.
     */
    @Override
    protected String permissionOf(LoggedRequest r) {
        Matcher m = SIGNED_SERVICE.matcher(String.valueOf(r.getHeader("Authorization")));
        if (!m.find()) {
            return "unsigned " + r.getMethod() + " " + r.getUrl();
        }
        String service = m.group(1).equals("monitoring") ? "cloudwatch" : m.group(1);
        String path = r.getUrl().contains("?") ? r.getUrl().substring(0, r.getUrl().indexOf('?')) : r.getUrl();
        if (path.contains("/operation/")) {
            return service + ":" + path.substring(path.lastIndexOf('/') + 1);
        }
        if (r.containsHeader("X-Amz-Target")) {
            String target = r.getHeader("X-Amz-Target");
            return service + ":" + target.substring(target.indexOf('.') + 1);
        }
        if (service.equals("s3")) {
            if (path.equals("/")) {
                return "s3:ListAllMyBuckets";
            }
            for (String sub : r.getQueryParams().keySet()) {
                if (S3_SUBRESOURCES.containsKey(sub)) {
                    return "s3:" + S3_SUBRESOURCES.get(sub);
                }
            }
            return "s3:ListBucket";
        }
        for (String pair : r.getBodyAsString().split("&")) {
            if (pair.startsWith("Action=")) {
                return service + ":" + URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8);
            }
        }
        return "unknown " + service + " " + r.getMethod() + " " + r.getUrl();
    }

    @Test
    void theBaselineMapperClaimsTheTerraformTypesOfEveryType() {
        assertThat(provider()).isInstanceOf(AwsProvider.class);
        assertThat(provider().baselineMapper().terraformTypes()).contains("aws_s3_bucket", "aws_security_group",
                "aws_vpc_security_group_ingress_rule", "aws_instance", "aws_iam_user", "aws_iam_access_key",
                "aws_kms_key");
    }

    @Test
    void everyModelTypeIsSupported() {
        assertThat(provider().descriptors()).extracting(ResourceDescriptor::type)
                .containsExactlyInAnyOrderElementsOf(ResourceTypes.ALL);
        assertThat(provider().unsupportedTypes()).isEmpty();
    }

    private static final Map<String, Set<String>> READ_ALSO = Map.of(
            ResourceTypes.COMPUTE_INSTANCE, Set.of("cloudwatch", "autoscaling"),
            ResourceTypes.COMPUTE_GROUP, Set.of("cloudwatch", "autoscaling"));

    @Test
    void everyTypeReadsThroughTheServicesOfItsCloudTrailCalls() {
        for (AwsType t : AwsProvider.TYPES) {
            ResourceDescriptor d = t.descriptor();
            // a type reads through the services whose CloudTrail calls it declares (e.g. kms.amazonaws.com → kms:)
            Set<String> services = t.cloudTrailCalls().stream()
                    .map(c -> c.source().replace(".amazonaws.com", "")).collect(Collectors.toCollection(HashSet::new));
            // the reads that are not the type's own service: utilization from CloudWatch, group membership and
            // Auto Scaling groups (whose CloudTrail calls name no ARN, so the type declares none)
            services.addAll(READ_ALSO.getOrDefault(d.type(), Set.of()));
            assertThat(d.readPermissions()).as(d.type())
                    .allMatch(p -> services.contains(p.substring(0, p.indexOf(':'))),
                            "a service of the type's declared CloudTrail calls " + services);
            assertThat(d.nativeType()).startsWith("AWS::");
        }
    }

    @Test
    void theDescriptorsAreTheDeclaredTypesOnceEach() {
        assertThat(provider().descriptors()).extracting(ResourceDescriptor::type).containsExactlyElementsOf(
                AwsProvider.TYPES.stream().map(t -> t.descriptor().type()).toList());
        List<String> calls = AwsProvider.TYPES.stream().flatMap(t -> t.cloudTrailCalls().stream())
                .map(AwsType.Call::key).toList();
        assertThat(calls).as("a CloudTrail call routes to one type").doesNotHaveDuplicates();
    }

    @Test
    void theRemediationsAreOffered() {
        assertThat(provider().remediators()).extracting(Remediator::actionId).contains(
                "storage.bucket/block-public-access", "storage.bucket/enable-encryption",
                "network.firewall/revoke-internet-ingress", "identity.key/deactivate", "kms.key/enable-rotation",
                "storage.bucket/tag");
    }
}
