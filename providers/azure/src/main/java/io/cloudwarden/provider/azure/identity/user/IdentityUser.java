package io.cloudwarden.provider.azure.identity.user;

import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.provider.azure.AzureType;
import java.util.List;
import java.util.Set;

/** {@code identity.user} on Azure: Entra ID users and service principals, read through Microsoft Graph (no ARM events). */
public final class IdentityUser implements AzureType {
    @Override
    public ResourceDescriptor descriptor() {
        return EntraPrincipals.descriptor();
    }

    @Override
    public List<String> armResourceTypes() {
        return List.of();
    }

    @Override
    public List<Remediator> remediators() {
        return List.of();
    }

    /** None: Entra ID users are not managed through azurerm. */
    @Override
    public Set<String> terraformTypes() {
        return Set.of();
    }
}
