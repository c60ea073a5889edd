package io.cloudwarden.provider.azure.identity.key;

import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.provider.azure.AzureType;
import java.util.List;
import java.util.Set;

/** {@code identity.key} on Azure: Entra ID application credentials, read through Microsoft Graph (no ARM events). */
public final class IdentityKey implements AzureType {
    @Override
    public ResourceDescriptor descriptor() {
        return AppCredentials.descriptor();
    }

    @Override
    public List<String> armResourceTypes() {
        return List.of();
    }

    @Override
    public List<Remediator> remediators() {
        return List.of(new RemoveAppCredential());
    }

    /** None: application credentials are not managed through azurerm. */
    @Override
    public Set<String> terraformTypes() {
        return Set.of();
    }
}
