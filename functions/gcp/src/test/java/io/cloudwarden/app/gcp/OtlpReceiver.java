package io.cloudwarden.app.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An OTLP/HTTP receiver on 127.0.0.1 standing in for the collector sidecar's {@code localhost:4318}: WireMock
 * answering {@code POST /v1/metrics} and {@code POST /v1/traces} as a collector does (200, an empty protobuf
 * response), wired in with {@value TelemetryExport#ENDPOINT}. One server per test class (Quarkus starts the resource
 * once per application), read through the static accessors.
 */
public class OtlpReceiver implements QuarkusTestResourceLifecycleManager {
    private static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        for (String path : List.of("/v1/metrics", "/v1/traces")) {
            server.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/x-protobuf").withBody(new byte[0])));
        }
        return Map.of(TelemetryExport.ENDPOINT, "http://127.0.0.1:" + server.port());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** Every metric received so far, decoded from the protobuf bodies posted to {@code /v1/metrics}. */
    static List<Metric> metrics() {
        List<Metric> metrics = new ArrayList<>();
        bodies("/v1/metrics").forEach(body -> {
            try {
                ExportMetricsServiceRequest.parseFrom(body).getResourceMetricsList().forEach(rm ->
                        rm.getScopeMetricsList().forEach(sm -> metrics.addAll(sm.getMetricsList())));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("POST /v1/metrics with a body that is not an ExportMetricsServiceRequest", e);
            }
        });
        return metrics;
    }

    /** Every span received so far, decoded from the protobuf bodies posted to {@code /v1/traces}. */
    static List<Span> spans() {
        List<Span> spans = new ArrayList<>();
        bodies("/v1/traces").forEach(body -> {
            try {
                ExportTraceServiceRequest.parseFrom(body).getResourceSpansList().forEach(rs ->
                        rs.getScopeSpansList().forEach(ss -> spans.addAll(ss.getSpansList())));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("POST /v1/traces with a body that is not an ExportTraceServiceRequest", e);
            }
        });
        return spans;
    }

    /** The content types of every post, to either path. */
    static List<String> contentTypes() {
        List<String> types = new ArrayList<>();
        for (String path : List.of("/v1/metrics", "/v1/traces")) {
            server.findAll(postRequestedFor(urlPathEqualTo(path))).forEach(r -> types.add(r.getHeader("Content-Type")));
        }
        return types;
    }

    /** Every request the receiver got, whatever its path. */
    static int requests() {
        return server.getAllServeEvents().size();
    }

    private static List<byte[]> bodies(String path) {
        return server.findAll(postRequestedFor(urlPathEqualTo(path))).stream().map(r -> r.getBody()).toList();
    }
}
