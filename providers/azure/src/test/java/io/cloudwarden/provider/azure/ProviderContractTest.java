package io.cloudwarden.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceTypes;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderContractTest {
    private final CloudProvider provider = ServiceLoader.load(CloudProvider.class).stream()
            .map(ServiceLoader.Provider::get).filter(p -> p.cloud() == Cloud.AZURE).findFirst().orElseThrow();

    @Test
    void isRegisteredWithServiceLoader() {
        assertThat(provider).isInstanceOf(AzureProvider.class);
    }

    @Test
    void descriptorsCoverKnownUniqueTypesWithDeclaredPermissions() {
        List<ResourceDescriptor> descriptors = provider.descriptors();
        Set<String> seen = new HashSet<>();
        for (ResourceDescriptor d : descriptors) {
            assertThat(ResourceTypes.isKnown(d.type())).as(d.type()).isTrue();
            assertThat(seen.add(d.type())).as("unique " + d.type()).isTrue();
            if (d.nativeType().startsWith("Microsoft.Graph/")) {
                // Entra ID types: Microsoft Graph application permissions, read-only
                assertThat(d.readPermissions()).as(d.type()).isNotEmpty()
                        .allMatch(p -> p.matches("[A-Z][A-Za-z]+(\\.[A-Za-z]+)*\\.Read(\\.[A-Za-z]+)?"),
                                "a Graph *.Read* permission");
            } else {
                assertThat(d.readPermissions()).as(d.type()).isNotEmpty()
                        .allMatch(p -> p.startsWith("Microsoft.") && p.endsWith("/read"));
            }
            assertThat(d.nativeType()).startsWith("Microsoft.");
        }
    }

    @Test
    void everyTypeIsSupportedOrDeclaredUnsupportedWithAReason() {
        Set<String> covered = new HashSet<>();
        provider.descriptors().forEach(d -> covered.add(d.type()));
        provider.unsupportedTypes().forEach((type, reason) -> {
            assertThat(ResourceTypes.isKnown(type)).isTrue();
            assertThat(covered).doesNotContain(type);
            assertThat(reason).isNotBlank();
            covered.add(type);
        });
        assertThat(covered).containsExactlyInAnyOrderElementsOf(ResourceTypes.ALL);
    }

    @Test
    void everyModelTypeIsSupportedIncludingTheEntraIdTypes() {
        assertThat(provider.descriptors()).extracting(ResourceDescriptor::type)
                .containsExactlyInAnyOrderElementsOf(ResourceTypes.ALL);
        assertThat(provider.unsupportedTypes()).isEmpty();
    }

    @Test
    void remediatorsHaveUniqueIdsKnownTypesAndAzureOperations() {
        Set<String> ids = new HashSet<>();
        Set<String> types = new HashSet<>();
        provider.descriptors().forEach(d -> types.add(d.type()));
        for (Remediator r : provider.remediators()) {
            assertThat(ids.add(r.actionId())).as(r.actionId()).isTrue();
            assertThat(r.actionId()).startsWith(r.appliesTo() + "/");
            assertThat(types).contains(r.appliesTo());
            // an Azure operation, or (Entra ID credentials) a Microsoft Graph application permission
            assertThat(r.permissions()).isNotEmpty().allMatch(p -> p.startsWith("Microsoft.")
                    || p.matches("[A-Z][A-Za-z]+\\.ReadWrite\\.[A-Za-z]+"));
            assertThat(r.description()).isNotBlank();
        }
    }

    @Test
    void baselineMapperDeclaresTheAzurermTypes() {
        assertThat(provider.baselineMapper().terraformTypes()).contains("azurerm_storage_account",
                "azurerm_storage_container", "azurerm_network_security_group", "azurerm_network_security_rule",
                "azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine", "azurerm_key_vault_key");
    }
}
