package io.cloudwarden.provider.azure.identity.user;

import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.provider.azure.AzureType;
import java.util.List;
import java.util.Set;

/** {@code identity.user} on Azure: Entra ID users and service principals, read through Microsoft Graph (no ARM events). */
public final class IdentityUser implements AzureType {
    @Override
    public ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.IDENTITY_USER, EntraPrincipals.NATIVE_TYPE, Scope.GLOBAL,
                Set.of(Capability.LIST, Capability.FETCH), EntraPrincipals.PERMISSIONS, new EntraPrincipals(),
                EntraPrincipals::normalize);
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

    /**
     * azuread 3.x r/user "Import": {@code /users/<objectId>}; r/service_principal:
     * {@code /servicePrincipals/<objectId>}.
     */
    @Override
    public io.cloudwarden.engine.spi.TerraformImport terraformImport(io.cloudwarden.model.Resource observed) {
        var p = io.cloudwarden.provider.azure.GraphIds.parse(observed.id());
        if (p.isEmpty()) {
            return new io.cloudwarden.engine.spi.TerraformImport.NotImportable("azuread_user", "the id is not an Entra object id");
        }
        return p.get().collection().equals(io.cloudwarden.provider.azure.GraphIds.SERVICE_PRINCIPALS)
                ? new io.cloudwarden.engine.spi.TerraformImport.Importable("azuread_service_principal", "/servicePrincipals/" + p.get().objectId())
                : new io.cloudwarden.engine.spi.TerraformImport.Importable("azuread_user", "/users/" + p.get().objectId());
    }
}
