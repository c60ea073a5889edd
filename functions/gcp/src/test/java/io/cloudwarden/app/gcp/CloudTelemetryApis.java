package io.cloudwarden.app.gcp;

import com.google.devtools.cloudtrace.v2.BatchWriteSpansRequest;
import com.google.devtools.cloudtrace.v2.Span;
import com.google.devtools.cloudtrace.v2.TraceServiceGrpc;
import com.google.monitoring.v3.CreateMetricDescriptorRequest;
import com.google.monitoring.v3.CreateTimeSeriesRequest;
import com.google.monitoring.v3.MetricServiceGrpc;
import com.google.monitoring.v3.TimeSeries;
import com.google.protobuf.Empty;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC server on 127.0.0.1 standing in for Cloud Monitoring ({@code google.monitoring.v3.MetricService}:
 * {@code CreateMetricDescriptor}, {@code CreateTimeSeries}) and Cloud Trace ({@code google.devtools.cloudtrace.v2
 * .TraceService}: {@code BatchWriteSpans}), built on the services' own generated bases; it keeps every request it
 * was sent and answers them as the services do (the descriptor echoed, {@code Empty}). The app is pointed at it with
 * {@code cloudwarden.gcp.telemetry-endpoint}.
 */
public class CloudTelemetryApis implements QuarkusTestResourceLifecycleManager {
    public static final String PROJECT = "cw-telemetry";

    static final List<CreateTimeSeriesRequest> TIME_SERIES = new CopyOnWriteArrayList<>();
    static final List<CreateMetricDescriptorRequest> DESCRIPTORS = new CopyOnWriteArrayList<>();
    static final List<BatchWriteSpansRequest> SPANS = new CopyOnWriteArrayList<>();

    private Server server;

    @Override
    public Map<String, String> start() {
        TIME_SERIES.clear();
        DESCRIPTORS.clear();
        SPANS.clear();
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .addService(new MetricServiceGrpc.MetricServiceImplBase() {
                        @Override
                        public void createMetricDescriptor(CreateMetricDescriptorRequest request,
                                StreamObserver<com.google.api.MetricDescriptor> response) {
                            DESCRIPTORS.add(request);
                            response.onNext(request.getMetricDescriptor());
                            response.onCompleted();
                        }

                        @Override
                        public void createTimeSeries(CreateTimeSeriesRequest request,
                                StreamObserver<Empty> response) {
                            TIME_SERIES.add(request);
                            response.onNext(Empty.getDefaultInstance());
                            response.onCompleted();
                        }
                    })
                    .addService(new TraceServiceGrpc.TraceServiceImplBase() {
                        @Override
                        public void batchWriteSpans(BatchWriteSpansRequest request, StreamObserver<Empty> response) {
                            SPANS.add(request);
                            response.onNext(Empty.getDefaultInstance());
                            response.onCompleted();
                        }
                    })
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(CloudTelemetryExporters.ENDPOINT, "127.0.0.1:" + server.getPort(),
                RequestLogFilter.PROJECT, PROJECT);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static List<TimeSeries> timeSeries() {
        return TIME_SERIES.stream().flatMap(r -> r.getTimeSeriesList().stream()).toList();
    }

    static List<Span> spans() {
        return SPANS.stream().flatMap(r -> r.getSpansList().stream()).toList();
    }
}
