package io.cloudwarden.provider.gcp.baseline;

import io.cloudwarden.engine.spi.TerraformImport;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.gcp.GcpIds;
import java.util.Map;
import java.util.Optional;

/**
 * How Terraform imports an observed GCP resource, in the forms of the hashicorp/google provider's documentation
 * ("Import" section of each resource page; the first, fully qualified form is used wherever several are accepted):
 * <ul>
 *   <li>{@code google_storage_bucket}: {@code {{project_id}}/{{bucket}}} ({@code {{bucket}}} when the project is
 *       not known);</li>
 *   <li>{@code google_compute_firewall}: {@code projects/{{project}}/global/firewalls/{{name}}};</li>
 *   <li>{@code google_compute_instance}: {@code projects/{{project}}/zones/{{zone}}/instances/{{name}}};</li>
 *   <li>{@code google_service_account}: {@code projects/{{project_id}}/serviceAccounts/{{email}}} — the email, not
 *       the numeric unique id the model's id carries;</li>
 *   <li>{@code google_kms_crypto_key}: {@code {{key_ring}}/cryptoKeys/{{name}}}, i.e. the key's relative name;</li>
 *   <li>{@code google_service_account_key}: "This resource does not support import."</li>
 * </ul>
 * Every import id is the CAI name without its {@code //service.googleapis.com/} prefix, except the bucket and the
 * service account, whose documented forms differ from their CAI names.
 */
public final class GcpImports {
    private GcpImports() {
    }

    public static Optional<TerraformImport> of(Resource r) {
        String relative = GcpIds.relative(r.id());
        return Optional.ofNullable(switch (r.type()) {
            case ResourceTypes.STORAGE_BUCKET -> new TerraformImport.Importable("google_storage_bucket",
                    (r.account().isEmpty() ? "" : r.account() + "/") + GcpIds.last(r.id()));
            case ResourceTypes.NETWORK_FIREWALL -> new TerraformImport.Importable("google_compute_firewall", relative);
            case ResourceTypes.COMPUTE_INSTANCE -> new TerraformImport.Importable("google_compute_instance", relative);
            case ResourceTypes.KMS_KEY -> new TerraformImport.Importable("google_kms_crypto_key", relative);
            case ResourceTypes.IDENTITY_USER -> serviceAccount(r);
            case ResourceTypes.IDENTITY_KEY -> new TerraformImport.NotImportable("google_service_account_key",
                    "google_service_account_key does not support import (its private key cannot be read back);"
                            + " create a new key in Terraform and disable this one");
            default -> null;
        });
    }

    /** Normalized top-level attribute → the google argument that declares it. */
    static final Map<String, Map<String, String>> ATTRIBUTES = Map.of(
            ResourceTypes.STORAGE_BUCKET, Map.of(
                    "/publicAccess", "google_storage_bucket.public_access_prevention / google_storage_bucket_iam_*",
                    "/encryption", "google_storage_bucket.encryption.default_kms_key_name",
                    "/versioning", "google_storage_bucket.versioning.enabled",
                    "/logging", "google_storage_bucket.logging.log_bucket"),
            ResourceTypes.NETWORK_FIREWALL, Map.of("/rules",
                    "google_compute_firewall.allow / deny / source_ranges / direction"),
            ResourceTypes.KMS_KEY, Map.of("/rotationEnabled", "google_kms_crypto_key.rotation_period",
                    "/rotationPeriodDays", "google_kms_crypto_key.rotation_period"),
            ResourceTypes.IDENTITY_USER, Map.of("/enabled", "google_service_account.disabled"),
            ResourceTypes.COMPUTE_INSTANCE, Map.of("/metadataHardened",
                    "google_compute_instance.shielded_instance_config / metadata",
                    "/identity", "google_compute_instance.service_account.email"));

    private static TerraformImport serviceAccount(Resource r) {
        String email = r.name() != null && r.name().contains("@") ? r.name()
                : r.raw() == null ? "" : r.raw().at("/resource/data/email").asText("");
        Optional<String> project = GcpIds.segment(GcpIds.relative(r.id()), "projects");
        if (email.isEmpty() || project.isEmpty()) {
            return new TerraformImport.NotImportable("google_service_account",
                    "google_service_account is imported by its email, which the snapshot does not hold");
        }
        return new TerraformImport.Importable("google_service_account",
                "projects/" + project.get() + "/serviceAccounts/" + email);
    }
}
