package io.cloudwarden.app.azure;

import io.cloudwarden.functions.Cloudwarden;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness ({@code /q/health/ready}): the runtime is wired and names the state store it uses. */
@Readiness
@ApplicationScoped
public class StateHealthCheck implements HealthCheck {
    @Inject
    Cloudwarden cw;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("state").up().withData("store", cw.store().describe()).build();
    }
}
