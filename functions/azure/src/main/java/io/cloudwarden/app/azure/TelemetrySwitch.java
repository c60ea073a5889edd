package io.cloudwarden.app.azure;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import jakarta.annotation.Priority;

/**
 * Turns Quarkus' OpenTelemetry SDK on when the app has somewhere to send to ({@link TelemetryDestination}): the
 * application.properties default {@code quarkus.otel.sdk.disabled=true} reads as {@code false} once
 * {@code APPLICATIONINSIGHTS_CONNECTION_STRING} or an OTLP endpoint is set, so the platform's one setting is enough.
 * A value set explicitly above application.properties (an app setting {@code QUARKUS_OTEL_SDK_DISABLED}, {@code -D})
 * still decides. Registered through {@code META-INF/services/io.smallrye.config.ConfigSourceInterceptor}.
 */
@Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION)
public class TelemetrySwitch implements ConfigSourceInterceptor {
    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    /** application.properties inside the jar. */
    private static final int APPLICATION_PROPERTIES = 250;

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!SDK_DISABLED.equals(name) || value != null && value.getConfigSourceOrdinal() > APPLICATION_PROPERTIES) {
            return value;
        }
        TelemetryDestination destination;
        try {
            destination = TelemetryDestination.of(n -> {
                ConfigValue v = context.proceed(n);
                return v == null ? null : v.getValue();
            });
        } catch (TelemetryDestination.InvalidTelemetryConfigException e) {
            // reported by TelemetryExport at start-up; the SDK stays off
            return value;
        }
        if (destination == TelemetryDestination.NONE) {
            return value;
        }
        ConfigValue on = ConfigValue.builder().withName(SDK_DISABLED).withValue("false")
                .withConfigSourceName("TelemetrySwitch (" + destination + ")")
                .withConfigSourceOrdinal(APPLICATION_PROPERTIES).build();
        return on;
    }
}
