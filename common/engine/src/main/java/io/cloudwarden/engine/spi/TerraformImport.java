package io.cloudwarden.engine.spi;

import java.util.Objects;

/**
 * How Terraform brings one observed resource under management, as its provider's documentation gives it: the
 * Terraform resource type and the import id in that resource's documented form, or the reason it cannot be imported
 * (the resource type has no import, or the id needs something the scan did not observe).
 */
public sealed interface TerraformImport {
    /** The Terraform resource type ({@code aws_s3_bucket}), or empty when none models this resource. */
    String terraformType();

    /** {@code import { to = <terraformType>.<name>  id = "<id>" }} will bring the resource under management. */
    record Importable(String terraformType, String id) implements TerraformImport {
        public Importable {
            Objects.requireNonNull(terraformType, "terraformType");
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("import id of a " + terraformType + " must not be blank");
            }
        }
    }

    /** Cannot be imported; {@code reason} says why, in a user's words. */
    record NotImportable(String terraformType, String reason) implements TerraformImport {
        public NotImportable {
            terraformType = terraformType == null ? "" : terraformType;
            Objects.requireNonNull(reason, "reason");
        }
    }
}
