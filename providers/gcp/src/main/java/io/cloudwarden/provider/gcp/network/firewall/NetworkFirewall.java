package io.cloudwarden.provider.gcp.network.firewall;

import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.GcpType;
import io.cloudwarden.provider.gcp.session.Cai;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code network.firewall} on GCP: VPC firewall rules (global; id = the CAI name). */
public final class NetworkFirewall implements GcpType {
    @Override
    public ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.NETWORK_FIREWALL, GcpIds.FIREWALL_TYPE, Scope.ACCOUNT,
                Set.of(Capability.LIST, Capability.FETCH), List.of(Cai.USE, Cai.LIST, "compute.firewalls.get"),
                new FirewallCollector(), new FirewallNormalizer());
    }

    @Override
    public List<Method> auditLogMethods() {
        return Method.of("compute.googleapis.com", "v1.compute.firewalls.delete", "v1.compute.firewalls.insert",
                "v1.compute.firewalls.patch", "v1.compute.firewalls.update");
    }

    /** Any {@code compute.firewalls.*} method of the v1, beta or alpha API. */
    @Override
    public Optional<Target> idOf(AuditEntry entry) {
        if (!entry.method().replaceFirst("^(v1|beta|alpha)\\.", "").startsWith("compute.firewalls.")) {
            return Optional.empty();
        }
        return Optional.of(new Target(GcpIds.firewall(entry.projectOfResource(), GcpIds.last(entry.resourceName())),
                GcpIds.GLOBAL));
    }

    @Override
    public List<Remediator> remediators() {
        return List.of(new FirewallDisableInternetIngress());
    }

    @Override
    public Set<String> terraformTypes() {
        return Set.of("google_compute_firewall");
    }
}
