package io.cloudwarden.provider.azure;

import io.cloudwarden.engine.spi.BaselineMapper;
import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.provider.azure.baseline.AzureBaselineMapper;
import io.cloudwarden.provider.azure.compute.instance.VirtualMachines;
import io.cloudwarden.provider.azure.events.EventGridEventParser;
import io.cloudwarden.provider.azure.identity.key.AppCredentials;
import io.cloudwarden.provider.azure.identity.key.RemoveAppCredential;
import io.cloudwarden.provider.azure.identity.user.EntraPrincipals;
import io.cloudwarden.provider.azure.kms.key.KeyVaultKeys;
import io.cloudwarden.provider.azure.kms.key.SetKeyRotationPolicy;
import io.cloudwarden.provider.azure.network.firewall.NetworkSecurityGroups;
import io.cloudwarden.provider.azure.network.firewall.RemoveInternetNsgRules;
import io.cloudwarden.provider.azure.session.AzureSession;
import io.cloudwarden.provider.azure.state.BlobStateStore;
import io.cloudwarden.provider.azure.storage.bucket.BlockBlobPublicAccess;
import io.cloudwarden.provider.azure.storage.bucket.EnforceStorageTls;
import io.cloudwarden.provider.azure.storage.bucket.StorageAccounts;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Azure: Resource Graph + ARM + Microsoft Graph collectors, Event Grid parser, {@code azurerm_*} mapping, Blob state
 * store.
 */
public final class AzureProvider implements CloudProvider {
    @Override
    public Cloud cloud() {
        return Cloud.AZURE;
    }

    @Override
    public List<ResourceDescriptor> descriptors() {
        return List.of(StorageAccounts.descriptor(), NetworkSecurityGroups.descriptor(),
                VirtualMachines.descriptor(), KeyVaultKeys.descriptor(), EntraPrincipals.descriptor(),
                AppCredentials.descriptor());
    }

    @Override
    public List<Remediator> remediators() {
        return List.of(new BlockBlobPublicAccess(), new EnforceStorageTls(), new RemoveInternetNsgRules(),
                new SetKeyRotationPolicy(), new RemoveAppCredential());
    }

    @Override
    public List<EventParser> eventParsers() {
        return List.of(new EventGridEventParser());
    }

    @Override
    public BaselineMapper baselineMapper() {
        return new AzureBaselineMapper();
    }

    /** Every model v1 type is supported: the Entra ID types through Microsoft Graph ({@code identity} package). */
    @Override
    public Map<String, String> unsupportedTypes() {
        // issue 15: only AWS collects compute.group yet
        return Map.of(io.cloudwarden.model.ResourceTypes.COMPUTE_GROUP, "VM scale sets (and VM metrics from the Azure Monitor metrics batch API) are not collected yet");
    }

    @Override
    public ProviderSession open(ProviderConfig config) {
        return new AzureSession(config);
    }

    @Override
    public Optional<StateStore> stateStore(URI location, ProviderConfig config) {
        String scheme = location.getScheme() == null ? "" : location.getScheme().toLowerCase(Locale.ROOT);
        boolean blobUrl = (scheme.equals("https") || scheme.equals("http"))
                && location.getHost() != null
                && (location.getHost().contains(".blob.") || config.setting("storageAccountKey").isPresent()
                        || config.setting("storageSasToken").isPresent());
        if (!scheme.equals("azblob") && !blobUrl) {
            return Optional.empty();
        }
        return Optional.of(BlobStateStore.open(location, config, AzureSession.credential(config)));
    }
}
