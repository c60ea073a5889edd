package io.cloudwarden.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.ApiCalls;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.model.ResourceTypes;
import java.util.List;
import org.junit.jupiter.api.Test;

class S3BucketCollectorTest extends RecordedApi {

    @Test
    void bucketsAreListedAcrossPagesWithTheirOwnRegionAndNormalized() {
        stubS3Estate();

        List<Resource> buckets = scan(descriptor(ResourceTypes.STORAGE_BUCKET), Shard.GLOBAL);

        assertThat(buckets).extracting(Resource::id).containsExactly("arn:aws:s3:::cw-public-assets",
                "arn:aws:s3:::cw-secure-logs", "arn:aws:s3:::cw-legacy-acl");
        assertThat(buckets).extracting(Resource::region).containsExactly("us-east-1", "eu-west-1", "us-east-1");

        Resource pub = buckets.get(0);
        assertThat(pub.name()).isEqualTo("cw-public-assets");
        assertThat(pub.tags()).containsExactly(java.util.Map.entry("env", "prod"));
        assertThat(pub.attributes().toString()).isEqualTo("{\"publicAccess\":true,"
                + "\"encryption\":{\"enabled\":true,\"keyType\":\"provider-managed\"},\"versioning\":false,"
                + "\"minTlsVersion\":null,\"logging\":false}");

        Resource logs = buckets.get(1);
        assertThat(logs.attributes().toString()).isEqualTo("{\"publicAccess\":false,"
                + "\"encryption\":{\"enabled\":true,\"keyType\":\"customer-managed\"},\"versioning\":true,"
                + "\"minTlsVersion\":\"1.2\",\"logging\":true}");
        assertThat(logs.raw().at("/PublicAccessBlock/RestrictPublicBuckets").asBoolean()).isTrue();

        Resource legacy = buckets.get(2);
        assertThat(legacy.tags()).isEmpty();
        assertThat(legacy.attributes().toString()).isEqualTo("{\"publicAccess\":true,"
                + "\"encryption\":{\"enabled\":false,\"keyType\":null},\"versioning\":false,"
                + "\"minTlsVersion\":null,\"logging\":false}");
    }

    @Test
    void accessDeniedOnOneBucketCallIsAProviderExceptionNamingTheAction() {
        stubS3Estate();
        wm.stubFor(s3Get("cw-public-assets", "policyStatus").atPriority(1)
                .willReturn(s3Error(403, "cw-public-assets-access-denied.xml")));

        assertThatThrownBy(() -> scan(descriptor(ResourceTypes.STORAGE_BUCKET), Shard.GLOBAL))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.operation()).isEqualTo("s3:GetBucketPolicyStatus");
                    assertThat(e.nativeCode()).isEqualTo("AccessDenied");
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void slowDownIsRetried() {
        stubS3Estate();
        wm.stubFor(s3Get("cw-public-assets", "acl").atPriority(1).inScenario("slow").whenScenarioStateIs(STARTED)
                .willReturn(s3Error(503, "slow-down.xml")).willSetStateTo("ok"));

        List<Resource> buckets = scan(descriptor(ResourceTypes.STORAGE_BUCKET), Shard.GLOBAL);

        assertThat(buckets).hasSize(3);
        wm.verify(2, getRequestedFor(urlPathEqualTo("/cw-public-assets"))
                .withQueryParam("acl", com.github.tomakehurst.wiremock.client.WireMock.matching(".*")));
    }

    @Test
    void theRegionComesWithTheListingSoEachBucketTakesSevenCallsOrEightWithAPolicy() {
        stubS3Estate();

        List<Resource> buckets = scan(descriptor(ResourceTypes.STORAGE_BUCKET), Shard.GLOBAL);

        assertThat(buckets).extracting(Resource::region).containsExactly("us-east-1", "eu-west-1", "us-east-1");
        wm.verify(0, getRequestedFor(urlPathMatching("/cw-.*")).withQueryParam("location", matching(".*")));
        // Two listing pages + 8 configuration reads for each of the two buckets with a policy and 7 for the one
        // without (no GetBucketPolicyStatus), counted by the SDK's metrics.
        assertThat(session.callStatistics()).containsExactly(new ApiCalls(Cloud.AWS, "s3", 2 + 8 + 8 + 7, 0, 0));
    }

    @Test
    void aBucketWithoutAPolicyIsNotAskedForItsPolicyStatus() {
        stubS3Estate();

        List<Resource> buckets = scan(descriptor(ResourceTypes.STORAGE_BUCKET), Shard.GLOBAL);

        wm.verify(0, getRequestedFor(urlPathEqualTo("/cw-legacy-acl")).withQueryParam("policyStatus", matching(".*")));
        wm.verify(1, getRequestedFor(urlPathEqualTo("/cw-secure-logs")).withQueryParam("policyStatus", matching(".*")));
        assertThat(buckets.get(2).raw().has("Policy")).isFalse();
        assertThat(buckets.get(2).raw().has("PolicyStatus")).isFalse();
        assertThat(buckets.get(1).raw().at("/PolicyStatus/IsPublic").isBoolean()).isTrue();
    }

    @Test
    void aPolicyThatCouldNotBeReadFailsTheReadInsteadOfSkippingItsStatus() {
        stubS3Estate();
        wm.stubFor(s3Get("cw-legacy-acl", "policy").atPriority(1)
                .willReturn(s3Error(403, "cw-public-assets-access-denied.xml")));

        assertThatThrownBy(() -> scan(descriptor(ResourceTypes.STORAGE_BUCKET), Shard.GLOBAL))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.operation()).isEqualTo("s3:GetBucketPolicy");
                    assertThat(e.nativeCode()).isEqualTo("AccessDenied");
                });
    }

    @Test
    void aListingWithoutBucketRegionFallsBackToGetBucketLocation() {
        stubS3Estate();
        // S3-compatible servers (s3rver, older MinIO) do not send BucketRegion.
        wm.stubFor(get(urlPathEqualTo("/")).atPriority(1).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/xml").withBody(fixture("s3/list-buckets-page1.xml")
                        .replaceAll("<BucketRegion>[^<]*</BucketRegion>", "")
                        .replaceAll("<ContinuationToken>[^<]*</ContinuationToken>", ""))));

        List<Resource> buckets = scan(descriptor(ResourceTypes.STORAGE_BUCKET), Shard.GLOBAL);

        assertThat(buckets).extracting(Resource::region).containsExactly("us-east-1", "eu-west-1");
        wm.verify(2, getRequestedFor(urlPathMatching("/cw-.*")).withQueryParam("location", matching(".*")));
    }

    @Test
    void aThrottledCallIsRetriedAndCountedInTheCallStatistics() {
        stubS3Estate();
        wm.stubFor(s3Get("cw-secure-logs", "tagging").atPriority(1).inScenario("slow").whenScenarioStateIs(STARTED)
                .willReturn(s3Error(503, "slow-down.xml")).willSetStateTo("ok"));

        List<Resource> buckets = scan(descriptor(ResourceTypes.STORAGE_BUCKET), Shard.GLOBAL);

        assertThat(buckets).hasSize(3);
        // 2 + 8 + 8 + 7 calls, one of them retried once
        assertThat(session.callStatistics()).containsExactly(new ApiCalls(Cloud.AWS, "s3", 25, 1, 1));
        assertThat(session.readLimiter("s3", ACCOUNT, Shard.GLOBAL).throttles()).isEqualTo(1);
    }

    @Test
    void withMaxConcurrencyOneTheBucketsAreReadOneAfterAnotherWithTheSameResult() {
        stubS3Estate();
        List<Resource> concurrent = scan(descriptor(ResourceTypes.STORAGE_BUCKET), Shard.GLOBAL);
        session.close();
        session = new io.cloudwarden.provider.aws.session.AwsSession(config(java.util.Map.of("maxConcurrency", "1")));

        List<Resource> sequential = scan(descriptor(ResourceTypes.STORAGE_BUCKET), Shard.GLOBAL);

        assertThat(session.readLimiter("s3", ACCOUNT, Shard.GLOBAL).limit()).isEqualTo(1);
        assertThat(sequential).extracting(r -> r.id() + " " + r.attributes() + " " + r.raw())
                .containsExactlyElementsOf(concurrent.stream().map(r -> r.id() + " " + r.attributes() + " " + r.raw())
                        .toList());
    }

    @Test
    void fetchReadsOneBucketAndIsEmptyWhenItIsGone() {
        stubS3Estate();
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.head(urlPathEqualTo("/cw-secure-logs"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.ok()));
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.head(urlPathEqualTo("/cw-deleted"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.notFound()));
        var collector = descriptor(ResourceTypes.STORAGE_BUCKET).collector();

        var logs = collector.fetch(session, new ResourceRef(Cloud.AWS, ACCOUNT, "eu-west-1",
                ResourceTypes.STORAGE_BUCKET, "arn:aws:s3:::cw-secure-logs"));
        var gone = collector.fetch(session, new ResourceRef(Cloud.AWS, ACCOUNT, "us-east-1",
                ResourceTypes.STORAGE_BUCKET, "arn:aws:s3:::cw-deleted"));

        assertThat(logs).get().satisfies(i -> {
            assertThat(i.region()).isEqualTo("eu-west-1");
            assertThat(i.json().path("Versioning").path("Status").asText()).isEqualTo("Enabled");
        });
        assertThat(gone).isEmpty();
    }

    @Test
    void fetchReadsTheConfigurationsConcurrentlyIntoTheSameItemAsTheScan() {
        stubS3Estate();
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.head(urlPathEqualTo("/cw-secure-logs"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.ok()));
        var collector = descriptor(ResourceTypes.STORAGE_BUCKET).collector();
        var scanned = new java.util.ArrayList<io.cloudwarden.engine.spi.NativeItem>();
        collector.collect(session, new Shard(Cloud.AWS, ACCOUNT, Shard.GLOBAL, ResourceTypes.STORAGE_BUCKET),
                scanned::add);

        var fetched = collector.fetch(session, new ResourceRef(Cloud.AWS, ACCOUNT, "eu-west-1",
                ResourceTypes.STORAGE_BUCKET, "arn:aws:s3:::cw-secure-logs")).orElseThrow();

        var expected = (com.fasterxml.jackson.databind.node.ObjectNode) scanned.stream()
                .filter(i -> i.id().equals("arn:aws:s3:::cw-secure-logs")).findFirst().orElseThrow().json()
                .deepCopy();
        expected.remove("CreationDate"); // comes with the listing only
        assertThat(fetched.json().toString()).as("same configurations, same order").isEqualTo(expected.toString());
    }

    @Test
    void aFetchWhoseConfigurationReadFailsNamesThatAction() {
        stubS3Estate();
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.head(urlPathEqualTo("/cw-public-assets"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.ok()));
        wm.stubFor(s3Get("cw-public-assets", "policyStatus").atPriority(1)
                .willReturn(s3Error(403, "cw-public-assets-access-denied.xml")));
        var collector = descriptor(ResourceTypes.STORAGE_BUCKET).collector();

        assertThatThrownBy(() -> collector.fetch(session, new ResourceRef(Cloud.AWS, ACCOUNT, "us-east-1",
                ResourceTypes.STORAGE_BUCKET, "arn:aws:s3:::cw-public-assets")))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.operation()).isEqualTo("s3:GetBucketPolicyStatus");
                    assertThat(e.nativeCode()).isEqualTo("AccessDenied");
                });
    }
}
