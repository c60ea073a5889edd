package io.cloudwarden.provider.azure.storage.bucket;

import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.provider.azure.session.GraphCollector;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.provider.azure.AzureType;
import java.util.List;
import java.util.Set;

/** {@code storage.bucket} on Azure: storage accounts (id = the ARM id); events on containers name their account. */
public final class StorageBucket implements AzureType {
    @Override
    public ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.STORAGE_BUCKET, StorageAccounts.NATIVE_TYPE, Scope.ACCOUNT,
                Set.of(Capability.LIST, Capability.FETCH),
                List.of("Microsoft.ResourceGraph/resources/read",
                        "Microsoft.Storage/storageAccounts/read",
                        "Microsoft.Storage/storageAccounts/blobServices/read",
                        "Microsoft.Storage/storageAccounts/blobServices/containers/read",
                        "Microsoft.Insights/diagnosticSettings/read"),
                new GraphCollector(StorageAccounts.NATIVE_TYPE, StorageAccounts.API, "", StorageAccounts::enrich),
                StorageAccounts::normalize);
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

    /** azurerm r/storage_account "Import": the resource id (the ARM id). */
    @Override
    public io.cloudwarden.engine.spi.TerraformImport terraformImport(io.cloudwarden.model.Resource observed) {
        return new io.cloudwarden.engine.spi.TerraformImport.Importable("azurerm_storage_account", observed.id());
    }

    @Override
    public java.util.Map<String, String> terraformAttributes() {
        return java.util.Map.of(
                "/publicAccess", "azurerm_storage_account.allow_nested_items_to_be_public",
                "/encryption", "azurerm_storage_account.customer_managed_key",
                "/versioning", "azurerm_storage_account.blob_properties.versioning_enabled",
                "/minTlsVersion", "azurerm_storage_account.min_tls_version",
                "/httpsOnly", "azurerm_storage_account.https_traffic_only_enabled");
    }
}
