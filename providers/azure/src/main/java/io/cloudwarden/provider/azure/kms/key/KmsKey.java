package io.cloudwarden.provider.azure.kms.key;

import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.provider.azure.AzureType;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code kms.key} on Azure: Key Vault keys (id = the key's ARM id, a child of its vault). */
public final class KmsKey implements AzureType {
    @Override
    public ResourceDescriptor descriptor() {
        return KeyVaultKeys.descriptor();
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
}
