package io.cloudwarden.app.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An OTLP/HTTP receiver on 127.0.0.1 standing in for the ADOT collector layer's {@code localhost:4318}: WireMock
 * answering {@code POST /v1/traces} as a collector does (200, an empty protobuf {@code ExportTraceServiceResponse}),
 * wired in with {@code otel.exporter.otlp.endpoint} (what {@code OTEL_EXPORTER_OTLP_ENDPOINT} sets on Lambda).
 */
public class OtlpReceiver implements QuarkusTestResourceLifecycleManager {
    /** Marks the test field that receives this receiver. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Inject {
    }

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        server.stubFor(post(urlPathEqualTo("/v1/traces")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-protobuf").withBody(new byte[0])));
        return Map.of(InvocationTracing.ENDPOINT, "http://127.0.0.1:" + server.port());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(Inject.class, OtlpReceiver.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** Every span received so far, decoded from the protobuf bodies the exporter posted. */
    List<Span> spans() {
        List<Span> spans = new ArrayList<>();
        server.findAll(postRequestedFor(urlPathEqualTo("/v1/traces"))).forEach(request -> {
            try {
                for (ResourceSpans rs : ExportTraceServiceRequest.parseFrom(request.getBody()).getResourceSpansList()) {
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        spans.addAll(ss.getSpansList());
                    }
                }
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError("POST /v1/traces with a body that is not an OTLP ExportTraceServiceRequest", e);
            }
        });
        return spans;
    }

    /** The resource attributes of every export request (service.name, cloud.*), as name=value. */
    List<String> resourceAttributes() {
        List<String> out = new ArrayList<>();
        server.findAll(postRequestedFor(urlPathEqualTo("/v1/traces"))).forEach(request -> {
            try {
                ExportTraceServiceRequest.parseFrom(request.getBody()).getResourceSpansList().forEach(rs ->
                        rs.getResource().getAttributesList().forEach(a -> out.add(a.getKey() + "="
                                + a.getValue().getStringValue())));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        });
        return out;
    }

    /** The content types the exporter posted with. */
    List<String> contentTypes() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/v1/traces"))).stream()
                .map(r -> r.getHeader("Content-Type")).toList();
    }
}
