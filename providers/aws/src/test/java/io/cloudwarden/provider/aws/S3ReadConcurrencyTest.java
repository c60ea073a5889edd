package io.cloudwarden.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.concurrency.AdaptiveLimiter;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The S3 read limiter picks the reads in flight by their throughput: against an endpoint whose answers wait on the
 * network it keeps the most in flight, against one that answers at once (the reads then wait on the CPU, as a server on
 * loopback does) it settles on few. Asserted on the limit chosen, not on seconds. {@code maxConcurrency} 16 keeps the
 * run short: the probes need a few rounds at each limit.
 */
class S3ReadConcurrencyTest extends RecordedApi {
    private static final int BUCKETS = 300;

    @Test
    void againstAnEndpointWithNetworkLatencyTheMostReadsStayInFlight() {
        stubBuckets(20);

        List<Resource> buckets = scanWithMax16();

        assertThat(buckets).hasSize(BUCKETS);
        AdaptiveLimiter s3 = session.readLimiter("s3", ACCOUNT, Shard.GLOBAL);
        assertThat(s3.probes()).as("a lower limit was tried").isPositive();
        assertThat(s3.settled()).as("halving the reads in flight halved the throughput").isEqualTo(16);
    }

    @Test
    void againstAnEndpointThatAnswersAtOnceFewReadsStayInFlight() {
        stubBuckets(0);

        List<Resource> buckets = scanWithMax16();

        assertThat(buckets).hasSize(BUCKETS);
        assertThat(session.readLimiter("s3", ACCOUNT, Shard.GLOBAL).settled())
                .as("fewer in flight read as fast").isLessThanOrEqualTo(4);
    }

    private List<Resource> scanWithMax16() {
        session.close();
        session = new AwsSession(config(Map.of("maxConcurrency", "16")));
        return scan(descriptor(ResourceTypes.STORAGE_BUCKET), Shard.GLOBAL);
    }

    /** {@link #BUCKETS} buckets in one ListBuckets page; every configuration read answers after {@code delayMs}. */
    private void stubBuckets(int delayMs) {
        String listing = fixture("s3/list-buckets-page1.xml");
        String buckets = IntStream.range(0, BUCKETS)
                .mapToObj(i -> "<Bucket><Name>cw-load-" + i + "</Name><CreationDate>2025-04-01T12:00:00.000Z"
                        + "</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket>")
                .collect(Collectors.joining());
        wm.stubFor(get(urlPathEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/xml")
                .withBody(listing.replaceAll("<Buckets>.*</Buckets>", "<Buckets>" + buckets + "</Buckets>")
                        .replaceAll("<ContinuationToken>[^<]*</ContinuationToken>", ""))));
        Map<String, String> answers = Map.of("publicAccessBlock", "s3/pab-all-on.xml",
                "policyStatus", "s3/policy-status-private.xml", "acl", "s3/acl-private.xml",
                "encryption", "s3/encryption-sse-s3.xml", "versioning", "s3/versioning-enabled.xml",
                "logging", "s3/logging-on.xml", "tagging", "s3/tags-logs.xml");
        answers.forEach((sub, file) -> wm.stubFor(get(urlPathMatching("/cw-load-[0-9]+"))
                .withQueryParam(sub, matching(".*")).willReturn(delayed(xml(file), delayMs))));
        wm.stubFor(get(urlPathMatching("/cw-load-[0-9]+")).withQueryParam("policy", matching(".*"))
                .willReturn(delayed(json("s3/cw-secure-logs-policy.json"), delayMs)));
    }

    private static ResponseDefinitionBuilder delayed(ResponseDefinitionBuilder r, int delayMs) {
        return delayMs > 0 ? r.withFixedDelay(delayMs) : r;
    }
}
