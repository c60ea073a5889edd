package io.cloudwarden.provider.azure.storage.bucket;

import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.provider.azure.AzureType;
import java.util.List;
import java.util.Set;

/** {@code storage.bucket} on Azure: storage accounts (id = the ARM id); events on containers name their account. */
public final class StorageBucket implements AzureType {
    @Override
    public ResourceDescriptor descriptor() {
        return StorageAccounts.descriptor();
    }

    @Override
    public List<String> armResourceTypes() {
        return List.of(StorageAccounts.NATIVE_TYPE);
    }

    @Override
    public List<Remediator> remediators() {
        return List.of(new BlockBlobPublicAccess(), new EnforceStorageTls());
    }

    /** Containers fold into their account's {@code publicAccess}. */
    @Override
    public Set<String> terraformTypes() {
        return Set.of("azurerm_storage_account", "azurerm_storage_container");
    }
}
