package io.cloudwarden.provider.azure.network.firewall;

import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.provider.azure.AzureType;
import java.util.List;
import java.util.Set;

/** {@code network.firewall} on Azure: network security groups (id = the ARM id); events on a rule name its NSG. */
public final class NetworkFirewall implements AzureType {
    @Override
    public ResourceDescriptor descriptor() {
        return NetworkSecurityGroups.descriptor();
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
}
