package io.cloudwarden.provider.azure.network.firewall;

import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.provider.azure.session.GraphCollector;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.provider.azure.AzureType;
import java.util.List;
import java.util.Set;

/** {@code network.firewall} on Azure: network security groups (id = the ARM id); events on a rule name its NSG. */
public final class NetworkFirewall implements AzureType {
    @Override
    public ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.NETWORK_FIREWALL, NetworkSecurityGroups.NATIVE_TYPE, Scope.ACCOUNT,
                Set.of(Capability.LIST, Capability.FETCH),
                List.of("Microsoft.ResourceGraph/resources/read", "Microsoft.Network/networkSecurityGroups/read"),
                new GraphCollector(NetworkSecurityGroups.NATIVE_TYPE, NetworkSecurityGroups.API, "", (s, item) -> item),
                NetworkSecurityGroups::normalize);
    }

    @Override
    public List<String> armResourceTypes() {
        return List.of(NetworkSecurityGroups.NATIVE_TYPE);
    }

    @Override
    public List<Remediator> remediators() {
        return List.of(new RemoveInternetNsgRules());
    }

    /** Standalone security rules fold into their NSG's rules. */
    @Override
    public Set<String> terraformTypes() {
        return Set.of("azurerm_network_security_group", "azurerm_network_security_rule");
    }

    /** azurerm r/network_security_group "Import": the resource id (the ARM id). */
    @Override
    public io.cloudwarden.engine.spi.TerraformImport terraformImport(io.cloudwarden.model.Resource observed) {
        return new io.cloudwarden.engine.spi.TerraformImport.Importable("azurerm_network_security_group", observed.id());
    }

    @Override
    public java.util.Map<String, String> terraformAttributes() {
        return java.util.Map.of("/rules", "azurerm_network_security_group.security_rule");
    }
}
