package io.cloudwarden.app.azure;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where the app sends Cloudwarden's own metrics and spans (docs/TELEMETRY.md, "Azure Functions"), decided once from
 * the configuration:
 * <ul>
 * <li>{@link #OTLP} when an OTLP endpoint is given ({@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT} or
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}): a collector the operator chose; it wins over Application Insights, so the
 * same telemetry is never sent twice (a collector can forward to Application Insights itself);</li>
 * <li>{@link #APPLICATION_INSIGHTS} when {@code APPLICATIONINSIGHTS_CONNECTION_STRING} is set: the Functions
 * platform's own setting, which {@code infra/azure} passes from the Application Insights resource it creates;</li>
 * <li>{@link #NONE} otherwise: the OpenTelemetry SDK stays off ({@link TelemetrySwitch}) and the runtime's telemetry
 * is the API's no-op.</li>
 * </ul>
 * The connection string is a credential of the Application Insights resource (its instrumentation key admits
 * telemetry): it is never logged or echoed, not even when malformed.
 */
public enum TelemetryDestination {
    APPLICATION_INSIGHTS, OTLP, NONE;

    /** The platform's app setting, as a configuration name (SmallRye maps it to the environment variable). */
    public static final String CONNECTION_STRING = "applicationinsights.connection.string";
    static final String QUARKUS_OTLP_ENDPOINT = "quarkus.otel.exporter.otlp.endpoint";
    static final String OTEL_OTLP_ENDPOINT = "otel.exporter.otlp.endpoint";
    /** Quarkus' default endpoint: present in every configuration, so it does not count as given. */
    static final String QUARKUS_DEFAULT_ENDPOINT = "http://localhost:4317/";
    /** A connection string names the Application Insights resource by its instrumentation key (a GUID). */
    private static final Pattern INSTRUMENTATION_KEY = Pattern.compile(
            "(?i)(^|;)\\s*InstrumentationKey\\s*=\\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\s*(;|$)");

    /**
     * @param config a configuration lookup (null or blank: not set)
     * @throws InvalidTelemetryConfigException when the connection string is set but carries no instrumentation key
     */
    public static TelemetryDestination of(Function<String, String> config) {
        if (given(config.apply(OTEL_OTLP_ENDPOINT)) || given(config.apply(QUARKUS_OTLP_ENDPOINT))
                && !QUARKUS_DEFAULT_ENDPOINT.equals(config.apply(QUARKUS_OTLP_ENDPOINT).trim())) {
            return OTLP;
        }
        Optional<String> cs = connectionString(config);
        return cs.isPresent() ? APPLICATION_INSIGHTS : NONE;
    }

    /** The connection string when set, checked for an instrumentation key. */
    static Optional<String> connectionString(Function<String, String> config) {
        String cs = config.apply(CONNECTION_STRING);
        if (!given(cs)) {
            return Optional.empty();
        }
        if (!INSTRUMENTATION_KEY.matcher(cs).find()) {
            throw new InvalidTelemetryConfigException("APPLICATIONINSIGHTS_CONNECTION_STRING: expected "
                    + "'InstrumentationKey=<GUID>;IngestionEndpoint=https://...' as the Application Insights resource "
                    + "shows it (the value set is not shown: it is a credential)");
        }
        return Optional.of(cs.trim());
    }

    private static boolean given(String value) {
        return value != null && !value.isBlank();
    }

    /** A telemetry setting that cannot be used; the message names the setting, never its value. */
    public static final class InvalidTelemetryConfigException extends IllegalArgumentException {
        public InvalidTelemetryConfigException(String message) {
            super(message);
        }
    }
}
