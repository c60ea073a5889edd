package io.cloudwarden.engine.spi;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The single declaration of one native resource type. Adding a resource type = one descriptor + collector +
 * normalizer in one provider package, listed once in the provider.
 *
 * @param type normalized type (e.g. {@code storage.bucket})
 * @param nativeType native type name (e.g. {@code AWS::S3::Bucket}, {@code Microsoft.Storage/storageAccounts})
 * @param readPermissions the exact IAM actions / Azure operations / GCP permissions the collector needs
 */
public record ResourceDescriptor(
        String type,
        String nativeType,
        Scope scope,
        Set<Capability> capabilities,
        List<String> readPermissions,
        ResourceCollector collector,
        ResourceNormalizer normalizer) {
    public ResourceDescriptor {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(nativeType, "nativeType");
        Objects.requireNonNull(scope, "scope");
        capabilities = Set.copyOf(capabilities);
        readPermissions = List.copyOf(readPermissions);
        Objects.requireNonNull(collector, "collector");
        Objects.requireNonNull(normalizer, "normalizer");
    }
}
