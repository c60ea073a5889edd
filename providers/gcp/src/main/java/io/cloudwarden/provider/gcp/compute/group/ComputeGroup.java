package io.cloudwarden.provider.gcp.compute.group;

import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.engine.spi.TerraformImport;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.GcpType;
import io.cloudwarden.provider.gcp.compute.instance.InstanceUtilization;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code compute.group} on GCP: managed instance groups, zonal and regional (id
 * {@code //compute.googleapis.com/projects/P/zones/Z/instanceGroupManagers/N}, regional {@code regions/R}). Seen by
 * scans only, as on AWS and Azure: no audit-log methods are routed (resizes and autoscaling change membership and
 * load, which the scheduled scan re-reads). A Terraform state's {@code google_compute_instance_group_manager} /
 * {@code google_compute_region_instance_group_manager} are mapped by {@code GcpBaselineMapper}, with the
 * {@code google_compute_autoscaler} / {@code google_compute_region_autoscaler} that targets a group folded in (its
 * replica range); the group's instances are left to the group by drift ({@code DriftEngine}, "Members of scaling
 * groups").
 */
public final class ComputeGroup implements GcpType {
    @Override
    public ResourceDescriptor descriptor() {
        GroupCollector collector = new GroupCollector(Clock.systemUTC());
        return new ResourceDescriptor(ResourceTypes.COMPUTE_GROUP, ManagedGroups.ASSET_TYPE, Scope.ACCOUNT,
                Set.of(Capability.LIST, Capability.FETCH),
                Stream.concat(ManagedGroups.PERMISSIONS.stream(), InstanceUtilization.PERMISSIONS.stream()).toList(),
                collector, collector);
    }

    @Override
    public List<Method> auditLogMethods() {
        return List.of();
    }

    @Override
    public Optional<Target> idOf(AuditEntry entry) {
        return Optional.empty();
    }

    @Override
    public Set<String> terraformTypes() {
        return Set.of("google_compute_instance_group_manager", "google_compute_region_instance_group_manager",
                "google_compute_autoscaler", "google_compute_region_autoscaler");
    }

    @Override
    public java.util.Map<String, String> terraformAttributes() {
        return java.util.Map.of("/capacity", "google_compute_*instance_group_manager.target_size / "
                + "google_compute_*autoscaler.autoscaling_policy.min_replicas / max_replicas");
    }

    /**
     * google r/compute_instance_group_manager "Import": {@code projects/{{project}}/zones/{{zone}}/
     * instanceGroupManagers/{{name}}}; r/compute_region_instance_group_manager: {@code .../regions/{{region}}/...}.
     */
    @Override
    public TerraformImport terraformImport(Resource observed) {
        String type = observed.id().contains("/regions/") ? "google_compute_region_instance_group_manager"
                : "google_compute_instance_group_manager";
        return new TerraformImport.Importable(type, GcpIds.relative(observed.id()));
    }
}
