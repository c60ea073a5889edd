package io.cloudwarden.provider.azure.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.TerraformImport;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.azure.GraphIds;
import java.util.Map;
import java.util.Optional;

/**
 * How Terraform imports an observed Azure resource, in the forms of the hashicorp/azurerm and hashicorp/azuread
 * (3.x) providers' documentation ("Import" section of each resource page):
 * <ul>
 *   <li>{@code azurerm_storage_account}, {@code azurerm_network_security_group},
 *       {@code azurerm_linux_virtual_machine} / {@code azurerm_windows_virtual_machine}: the ARM resource id. The VM's
 *       resource type follows its OS disk's {@code osType}; a VM whose OS type was not observed is not importable
 *       (picking one would make {@code terraform plan} fail).</li>
 *   <li>{@code azurerm_key_vault_key}: the key's versioned URL ("Key Vault Key which is Enabled can be imported
 *       using the resource id", e.g. {@code https://example-keyvault.vault.azure.net/keys/example/fdf0…}), taken from
 *       ARM's {@code properties.keyUriWithVersion}.</li>
 *   <li>{@code azuread_user}: {@code /users/<objectId>}; {@code azuread_service_principal}:
 *       {@code /servicePrincipals/<objectId>}.</li>
 *   <li>{@code azuread_application_certificate}: {@code <applicationObjectId>/certificate/<keyId>};
 *       {@code azuread_application_password}: "This resource does not support importing."</li>
 * </ul>
 */
public final class AzureImports {
    private AzureImports() {
    }

    public static Optional<TerraformImport> of(Resource r) {
        return Optional.ofNullable(switch (r.type()) {
            case ResourceTypes.STORAGE_BUCKET -> new TerraformImport.Importable("azurerm_storage_account", r.id());
            case ResourceTypes.NETWORK_FIREWALL ->
                    new TerraformImport.Importable("azurerm_network_security_group", r.id());
            case ResourceTypes.COMPUTE_INSTANCE -> virtualMachine(r);
            case ResourceTypes.KMS_KEY -> keyVaultKey(r);
            case ResourceTypes.IDENTITY_USER -> principal(r);
            case ResourceTypes.IDENTITY_KEY -> credential(r);
            default -> null;
        });
    }

    /** Normalized top-level attribute → the azurerm argument that declares it. */
    static final Map<String, Map<String, String>> ATTRIBUTES = Map.of(
            ResourceTypes.STORAGE_BUCKET, Map.of(
                    "/publicAccess", "azurerm_storage_account.allow_nested_items_to_be_public",
                    "/encryption", "azurerm_storage_account.customer_managed_key",
                    "/versioning", "azurerm_storage_account.blob_properties.versioning_enabled",
                    "/minTlsVersion", "azurerm_storage_account.min_tls_version",
                    "/httpsOnly", "azurerm_storage_account.https_traffic_only_enabled"),
            ResourceTypes.NETWORK_FIREWALL, Map.of("/rules", "azurerm_network_security_group.security_rule"),
            ResourceTypes.KMS_KEY, Map.of(
                    "/rotationEnabled", "azurerm_key_vault_key.rotation_policy.automatic",
                    "/rotationPeriodDays", "azurerm_key_vault_key.rotation_policy.automatic.time_after_creation"),
            ResourceTypes.COMPUTE_INSTANCE, Map.of(
                    "/diskEncryption", "encryption_at_host_enabled (azurerm_*_virtual_machine)",
                    "/identity", "identity (azurerm_*_virtual_machine)"));

    private static TerraformImport virtualMachine(Resource r) {
        String os = text(r.raw(), "/properties/storageProfile/osDisk/osType");
        if (os.isEmpty()) {
            os = text(r.attributes(), "/os/family");
        }
        return switch (os.toLowerCase(java.util.Locale.ROOT)) {
            case "linux" -> new TerraformImport.Importable("azurerm_linux_virtual_machine", r.id());
            case "windows" -> new TerraformImport.Importable("azurerm_windows_virtual_machine", r.id());
            default -> new TerraformImport.NotImportable("azurerm_linux_virtual_machine",
                    "the VM's OS type was not observed, so neither azurerm_linux_virtual_machine nor"
                            + " azurerm_windows_virtual_machine can be chosen");
        };
    }

    private static TerraformImport keyVaultKey(Resource r) {
        String url = text(r.raw(), "/properties/keyUriWithVersion");
        return url.isEmpty()
                ? new TerraformImport.NotImportable("azurerm_key_vault_key", "azurerm imports a key by its versioned"
                        + " URL, and the snapshot does not hold the key's current version (keyUriWithVersion)")
                : new TerraformImport.Importable("azurerm_key_vault_key", url);
    }

    private static TerraformImport principal(Resource r) {
        Optional<GraphIds.Parsed> p = GraphIds.parse(r.id());
        if (p.isEmpty()) {
            return new TerraformImport.NotImportable("azuread_user", "the id is not an Entra object id");
        }
        return p.get().collection().equals(GraphIds.SERVICE_PRINCIPALS)
                ? new TerraformImport.Importable("azuread_service_principal", "/servicePrincipals/"
                        + p.get().objectId())
                : new TerraformImport.Importable("azuread_user", "/users/" + p.get().objectId());
    }

    private static TerraformImport credential(Resource r) {
        Optional<GraphIds.Parsed> p = GraphIds.parse(r.id());
        String kind = text(r.attributes(), "/credentialType");
        if (kind.isEmpty()) {
            kind = text(r.raw(), "/cloudwarden/credentialType");
        }
        if (p.isEmpty() || p.get().keyId().isEmpty()) {
            return new TerraformImport.NotImportable("azuread_application_certificate",
                    "the id is not an application credential id");
        }
        return switch (kind) {
            case "certificate" -> new TerraformImport.Importable("azuread_application_certificate",
                    p.get().objectId() + "/certificate/" + p.get().keyId().get());
            case "password" -> new TerraformImport.NotImportable("azuread_application_password",
                    "azuread_application_password does not support import (its secret cannot be read back);"
                            + " rotate it with a new azuread_application_password instead");
            default -> new TerraformImport.NotImportable("azuread_application_certificate",
                    "the credential's type (password or certificate) was not observed");
        };
    }

    private static String text(JsonNode n, String pointer) {
        return n == null ? "" : n.at(pointer).asText("");
    }
}
