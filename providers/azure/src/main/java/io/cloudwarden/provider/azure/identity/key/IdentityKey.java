package io.cloudwarden.provider.azure.identity.key;

import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import java.time.Clock;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.provider.azure.AzureType;
import java.util.List;
import java.util.Set;

/** {@code identity.key} on Azure: Entra ID application credentials, read through Microsoft Graph (no ARM events). */
public final class IdentityKey implements AzureType {
    @Override
    public ResourceDescriptor descriptor() {
        return descriptor(Clock.systemUTC());
    }

    /** The descriptor with the clock its normalizer dates credential expiry against (tests fix it). */
    public static ResourceDescriptor descriptor(Clock clock) {
        return new ResourceDescriptor(ResourceTypes.IDENTITY_KEY, AppCredentials.NATIVE_TYPE, Scope.GLOBAL,
                Set.of(Capability.LIST, Capability.FETCH), AppCredentials.PERMISSIONS, new AppCredentials(clock),
                AppCredentials::normalize);
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

    /**
     * azuread r/application_certificate "Import": {@code <ObjectId>/certificate/<CertificateKeyId>};
     * r/application_password: "This resource does not support importing."
     */
    @Override
    public io.cloudwarden.engine.spi.TerraformImport terraformImport(io.cloudwarden.model.Resource observed) {
        var p = io.cloudwarden.provider.azure.GraphIds.parse(observed.id());
        String kind = observed.attributes().path("credentialType").asText("");
        if (kind.isEmpty() && observed.raw() != null) {
            kind = observed.raw().at("/cloudwarden/credentialType").asText("");
        }
        if (p.isEmpty() || p.get().keyId().isEmpty()) {
            return new io.cloudwarden.engine.spi.TerraformImport.NotImportable("azuread_application_certificate",
                    "the id is not an application credential id");
        }
        return switch (kind) {
            case "certificate" -> new io.cloudwarden.engine.spi.TerraformImport.Importable("azuread_application_certificate",
                    p.get().objectId() + "/certificate/" + p.get().keyId().get());
            case "password" -> new io.cloudwarden.engine.spi.TerraformImport.NotImportable("azuread_application_password",
                    "azuread_application_password does not support import (its secret cannot be read back);"
                            + " rotate it with a new azuread_application_password instead");
            default -> new io.cloudwarden.engine.spi.TerraformImport.NotImportable("azuread_application_certificate",
                    "the credential's type (password or certificate) was not observed");
        };
    }
}
