package io.cloudwarden.engine.spi;

import io.cloudwarden.model.Resource;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Terraform resource types + attributes → normalized resources, with ids identical to the collectors' ids so that
 * an unchanged resource shows no drift. Split-out resources (e.g. {@code aws_s3_bucket_versioning}) are folded
 * into the resource they configure, which is why the mapper sees all its instances at once.
 */
public interface BaselineMapper {
    /** Every Terraform type this mapper understands, including the folded ones. */
    Set<String> terraformTypes();

    /** Maps all instances of this cloud's types from one state. */
    BaselineResult map(List<TerraformInstance> instances);

    /**
     * How Terraform imports {@code observed} (a resource of this mapper's cloud), in the exact import-id form of the
     * Terraform provider's documentation; empty when this mapper does not know the resource's type at all.
     */
    default Optional<TerraformImport> terraformImport(Resource observed) {
        return Optional.empty();
    }

    /**
     * The Terraform argument that declares the normalized attribute at JSON pointer {@code pointer} of a resource of
     * {@code type} (e.g. {@code /versioning} of {@code storage.bucket} on AWS:
     * {@code aws_s3_bucket_versioning.versioning_configuration.status}); empty when no single argument does.
     */
    default Optional<String> terraformAttribute(String type, String pointer) {
        return Optional.empty();
    }

    /** The top-level attribute of a JSON pointer: {@code /rules/1/ranges/0} → {@code /rules}. */
    static String topLevel(String pointer) {
        int second = pointer.indexOf('/', 1);
        return second > 0 ? pointer.substring(0, second) : pointer;
    }
}
