package io.cloudwarden.provider.gcp.compute.instance;

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

/** {@code compute.instance} on GCP: Compute Engine instances (zonal; id = the CAI name). */
public final class ComputeInstance implements GcpType {
    @Override
    public ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.COMPUTE_INSTANCE, GcpIds.INSTANCE_TYPE, Scope.ACCOUNT,
                Set.of(Capability.LIST, Capability.FETCH), java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(Cai.USE, Cai.LIST, "compute.instances.get"),
                        java.util.stream.Stream.of(PatchStates.PERMISSIONS, InstanceUtilization.PERMISSIONS,
                                io.cloudwarden.provider.gcp.compute.group.ManagedGroups.PERMISSIONS)
                                .flatMap(List::stream)).toList(),
                InstanceUtilization.wrap(PatchStates.wrap(new InstanceCollector()), java.time.Clock.systemUTC()),
                new InstanceNormalizer());
    }

    @Override
    public List<Method> auditLogMethods() {
        return Method.of("compute.googleapis.com", "v1.compute.instances.delete", "v1.compute.instances.insert",
                "v1.compute.instances.setMetadata", "v1.compute.instances.setServiceAccount",
                "v1.compute.instances.updateShieldedInstanceConfig");
    }

    /** Any {@code compute.instances.*} method of the v1, beta or alpha API on a resource name with its zone. */
    @Override
    public Optional<Target> idOf(AuditEntry entry) {
        if (!entry.method().replaceFirst("^(v1|beta|alpha)\\.", "").startsWith("compute.instances.")) {
            return Optional.empty();
        }
        return GcpIds.segment(entry.resourceName(), "zones").map(z -> new Target(
                GcpIds.instance(entry.projectOfResource(), z, GcpIds.last(entry.resourceName())), z));
    }

    @Override
    public List<Remediator> remediators() {
        return List.of(new InstallPatches());
    }

    @Override
    public Set<String> terraformTypes() {
        return Set.of("google_compute_instance");
    }

    /** google r/compute_instance "Import": {@code projects/{{project}}/zones/{{zone}}/instances/{{name}}}. */
    @Override
    public io.cloudwarden.engine.spi.TerraformImport terraformImport(io.cloudwarden.model.Resource observed) {
        return new io.cloudwarden.engine.spi.TerraformImport.Importable("google_compute_instance", io.cloudwarden.provider.gcp.GcpIds.relative(observed.id()));
    }

    @Override
    public java.util.Map<String, String> terraformAttributes() {
        return java.util.Map.of("/metadataHardened", "google_compute_instance.shielded_instance_config / metadata",
                "/identity", "google_compute_instance.service_account.email");
    }
}
