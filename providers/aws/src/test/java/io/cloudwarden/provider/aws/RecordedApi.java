package io.cloudwarden.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
    protected WireMockServer wm;
    protected AwsSession session;

    @BeforeEach
    void startWireMock() {
        wm = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        wm.start();
        session = new AwsSession(config(Map.of()));
    }

    @AfterEach
    void stopWireMock() {
        if (session != null) {
            session.close();
        }
        wm.stop();
    }

    protected ProviderConfig config(Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("accessKeyId", "AKIAIOSFODNN7EXAMPLE",
                "secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "maxAttempts", "3",
                "retryBaseDelayMs", "0"));
        settings.putAll(extra);
        return new ProviderConfig(Cloud.AWS, Optional.of(URI.create("http://127.0.0.1:" + wm.port())),
                List.of(ACCOUNT), List.of("us-east-1"), settings);
    }

    public static String fixture(String path) {
        try (InputStream in = RecordedApi.class.getResourceAsStream("/recorded/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("missing fixture recorded/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    protected static ResourceDescriptor descriptor(String type) {
        return new AwsProvider().descriptors().stream().filter(d -> d.type().equals(type)).findFirst().orElseThrow();
    }
}
