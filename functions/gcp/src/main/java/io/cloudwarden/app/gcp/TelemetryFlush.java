package io.cloudwarden.app.gcp;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Sends what a request recorded before its response leaves: Cloud Run may throttle an instance's CPU to almost
 * nothing between requests (infra/gcp {@code cpu_idle}), so the SDK's periodic metric reader and batch span processor
 * could otherwise hold a scan's metrics and spans until the next request. Each response waits for one flush of both
 * to the collector sidecar on {@code localhost} (at most {@value #WAIT_SECONDS} s; a failure is the exporter's to log,
 * never the request's). The span of the HTTP request itself ends after its response is written, so it goes out with
 * the next flush or batch (or at shutdown, when Quarkus closes the SDK).
 */
public class TelemetryFlush {
    static final int WAIT_SECONDS = 5;

    @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "true")
    boolean sdkDisabled;

    @Inject
    OpenTelemetry otel;

    @ServerResponseFilter
    public void flush() {
        if (!sdkDisabled && otel instanceof OpenTelemetrySdk sdk) {
            CompletableResultCode.ofAll(List.of(sdk.getSdkMeterProvider().forceFlush(),
                    sdk.getSdkTracerProvider().forceFlush())).join(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
