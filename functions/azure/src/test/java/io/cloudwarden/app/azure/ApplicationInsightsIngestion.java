package io.cloudwarden.app.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.testkit.recorded.RecordedApiServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A local stand-in for Application Insights' ingestion service: WireMock on 127.0.0.1 accepting
 * {@code POST /v2.1/track} (the Breeze endpoint the Azure Monitor exporter posts newline-delimited, gzip-compressed
 * JSON telemetry items to), and the connection string that points the app at it.
 */
public class ApplicationInsightsIngestion implements QuarkusTestResourceLifecycleManager {
    /** The test resource's instrumentation key (a made-up GUID). */
    public static final String INSTRUMENTATION_KEY = "5f2c8e4a-93d1-4b7e-a6f0-1c2d3e4f5a6b";
    static final String TRACK = "/v2.1/track";
    private static WireMockServer ingestion;

    @Override
    public Map<String, String> start() {
        ingestion = RecordedApiServer.http().wireMock();
        ingestion.stubFor(post(urlPathEqualTo(TRACK)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"itemsReceived\":1,\"itemsAccepted\":1,\"errors\":[]}")));
        String endpoint = "http://127.0.0.1:" + ingestion.port() + "/";
        return Map.of(
                TelemetryDestination.CONNECTION_STRING, "InstrumentationKey=" + INSTRUMENTATION_KEY
                        + ";IngestionEndpoint=" + endpoint + ";LiveEndpoint=" + endpoint,
                // export within the test's patience: metrics every second, spans after 100 ms
                "quarkus.otel.metric.export.interval", "1s",
                "quarkus.otel.bsp.schedule.delay", "100ms");
    }

    /** Every telemetry item the app has posted so far, decompressed and parsed, in arrival order. */
    static List<JsonNode> items() {
        List<JsonNode> items = new ArrayList<>();
        ingestion.findAll(postRequestedFor(urlPathEqualTo(TRACK))).forEach(request -> {
            for (String line : text(request.getBody()).split("\n")) {
                if (!line.isBlank()) {
                    try {
                        items.add(ModelJson.mapper().readTree(line));
                    } catch (IOException e) {
                        throw new UncheckedIOException("not a JSON telemetry item: " + line, e);
                    }
                }
            }
        });
        return items;
    }

    /** How many track requests arrived (0: nothing exported). */
    static int requests() {
        return ingestion.findAll(postRequestedFor(urlPathEqualTo(TRACK))).size();
    }

    private static String text(byte[] body) {
        if (body.length > 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void stop() {
        if (ingestion != null) {
            ingestion.stop();
        }
    }
}
