package io.cloudwarden.engine.spi;

import java.util.List;
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
}
