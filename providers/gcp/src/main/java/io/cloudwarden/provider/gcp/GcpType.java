package io.cloudwarden.provider.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the GCP provider knows about one normalized type, declared once, in the type's package
 * ({@code storage/bucket/StorageBucket}, …) and listed once in {@link GcpProvider#TYPES}; the GCP counterpart of the
 * AWS provider's {@code AwsType} and the Azure provider's {@code AzureType}, with the same words. The descriptor list,
 * the audit-log parser's routing, the Eventarc triggers in {@code infra/gcp} (generated, checked by
 * {@code tests/integration} {@code EventTriggersTest}), the scanner role (generated from the descriptors' read
 * permissions), the remediator list and the Terraform types the baseline mapper accepts derive from these.
 */
public interface GcpType {
    /** Normalized type, native (asset) type, scope, capabilities, read permissions, collector and normalizer. */
    ResourceDescriptor descriptor();

    /**
     * The Cloud Audit Log methods that create, change or delete a resource of this type: one Eventarc trigger each
     * (Eventarc matches {@code methodName} exactly). The parser routes an entry by its {@code serviceName} to the
     * types declaring methods of that service and asks each for {@link #idOf}.
     */
    List<Method> auditLogMethods();

    /**
     * The resource of this type a successful, non-read-only call changed, or empty when the call is not about this
     * type (e.g. a {@code storage.objects.*} call, or a key method for the service-account type).
     */
    Optional<Target> idOf(AuditEntry entry);

    /** The remediators of this type (their action ids start with the type). */
    default List<Remediator> remediators() {
        return List.of();
    }

    /** The Terraform resource types mapped into this type (the resource itself first, then the folded pieces). */
    Set<String> terraformTypes();

    /** One audit-logged method: {@code serviceName} (e.g. {@code storage.googleapis.com}) and {@code methodName}. */
    record Method(String service, String name) {
        public static List<Method> of(String service, String... names) {
            return java.util.Arrays.stream(names).map(n -> new Method(service, n)).toList();
        }
    }

    /** What a type needs from one audit-log entry to name the resource it changed. */
    record AuditEntry(String service, String method, String resourceName, String project, JsonNode payload) {
        /** The project of the resource name, else the entry's. */
        public String projectOfResource() {
            return GcpIds.segment(resourceName, "projects").orElse(project);
        }
    }

    /** The id (in the collector's form) and region of the resource an entry names. */
    record Target(String id, String region) {
    }
}
