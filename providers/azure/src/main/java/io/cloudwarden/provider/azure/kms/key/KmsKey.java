package io.cloudwarden.provider.azure.kms.key;

import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.provider.azure.AzureType;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code kms.key} on Azure: Key Vault keys (id = the key's ARM id, a child of its vault). */
public final class KmsKey implements AzureType {
    @Override
    public ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.KMS_KEY, KeyVaultKeys.NATIVE_TYPE, Scope.ACCOUNT,
                Set.of(Capability.LIST, Capability.FETCH),
                List.of("Microsoft.ResourceGraph/resources/read", "Microsoft.KeyVault/vaults/read",
                        "Microsoft.KeyVault/vaults/keys/read"),
                new KeyVaultKeys(), KeyVaultKeys::normalize);
    }

    @Override
    public List<String> armResourceTypes() {
        return List.of("Microsoft.KeyVault/vaults");
    }

    /** Events on a vault name no key; events on a key (or one of its versions) name the key. */
    @Override
    public Optional<Target> idOf(ArmResource resource) {
        return resource.child("keys");
    }

    @Override
    public List<Remediator> remediators() {
        return List.of(new SetKeyRotationPolicy());
    }

    /** The key, with its rotation policy. */
    @Override
    public Set<String> terraformTypes() {
        return Set.of("azurerm_key_vault_key");
    }

    /**
     * azurerm r/key_vault_key "Import": "Key Vault Key which is Enabled can be imported using the resource id", i.e.
     * the versioned key URL ({@code https://example-keyvault.vault.azure.net/keys/example/fdf0…}), taken from ARM's
     * {@code properties.keyUriWithVersion}.
     */
    @Override
    public io.cloudwarden.engine.spi.TerraformImport terraformImport(io.cloudwarden.model.Resource observed) {
        String url = observed.raw() == null ? "" : observed.raw().at("/properties/keyUriWithVersion").asText("");
        return url.isEmpty()
                ? new io.cloudwarden.engine.spi.TerraformImport.NotImportable("azurerm_key_vault_key", "azurerm imports a key by its versioned"
                        + " URL, and the snapshot does not hold the key's current version (keyUriWithVersion)")
                : new io.cloudwarden.engine.spi.TerraformImport.Importable("azurerm_key_vault_key", url);
    }

    @Override
    public java.util.Map<String, String> terraformAttributes() {
        return java.util.Map.of("/rotationEnabled", "azurerm_key_vault_key.rotation_policy.automatic",
                "/rotationPeriodDays", "azurerm_key_vault_key.rotation_policy.automatic.time_after_creation");
    }
}
