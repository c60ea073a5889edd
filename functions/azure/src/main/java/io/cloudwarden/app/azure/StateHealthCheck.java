package io.cloudwarden.app.azure;

import io.cloudwarden.functions.Cloudwarden;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness ({@code /q/health/ready}): the runtime is wired. Up or down only: health is unauthenticated, so it names
 * nothing about the deployment (not where the state is stored).
 */
@Readiness
@ApplicationScoped
public class StateHealthCheck implements HealthCheck {
    @Inject
    Cloudwarden cw;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("state").status(cw.store() != null).build();
    }
}
