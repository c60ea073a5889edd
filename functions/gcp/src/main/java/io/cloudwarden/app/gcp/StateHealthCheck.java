package io.cloudwarden.app.gcp;

import com.fasterxml.jackson.databind.JsonNode;
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
 * reports what the core gateway's {@code GET /q/health} reports (up or down, nothing about the deployment), so every
 * binding answers health the same way.
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
        } catch (RuntimeException e) {
            // Up or down only (health is unauthenticated): the cause goes to the log, not to the caller.
            java.util.logging.Logger.getLogger(StateHealthCheck.class.getName())
                    .log(java.util.logging.Level.WARNING, "health: the core runtime is not usable", e);
            return b.down().build();
        }
        try {
            JsonNode body = ModelJson.mapper().readTree(r.body());
            b.status(r.status() == 200 && "UP".equals(body.path("status").asText()));
        } catch (IOException e) {
            b.down();
        }
        return b.build();
    }
}
