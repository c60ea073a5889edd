package io.cloudwarden.app.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.functions.ConfigException;
import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import io.cloudwarden.model.ModelJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health} (and {@code /q/health/ready}) is SmallRye Health's route in a Quarkus app; this readiness check
 * reports what the core gateway's {@code GET /q/health} reports (the state store it uses), so every binding
 * answers health the same way.
 */
@Readiness
@ApplicationScoped
public class StateHealthCheck implements HealthCheck {
    @Inject
    Functions functions;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("state");
        HttpResponse r;
        try {
            r = functions.gateway().handle(HttpRequest.of("GET", "/q/health", Map.of(), new byte[0]));
        } catch (ConfigException e) {
            // the key only: the value may be a secret
            return b.down().withData("configuration", e.key()).build();
        } catch (RuntimeException e) {
            return b.down().withData("error", e.getClass().getSimpleName()).build();
        }
        try {
            JsonNode body = ModelJson.mapper().readTree(r.body());
            JsonNode state = body.path("checks").path(0);
            b.status(r.status() == 200 && "UP".equals(body.path("status").asText()));
            if (state.has("store")) {
                b.withData("store", state.get("store").asText());
            }
        } catch (IOException e) {
            b.down().withData("error", "unreadable health answer from the core");
        }
        return b.build();
    }
}
