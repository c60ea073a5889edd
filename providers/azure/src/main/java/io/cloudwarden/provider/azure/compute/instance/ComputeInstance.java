package io.cloudwarden.provider.azure.compute.instance;

import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.provider.azure.AzureType;
import java.util.List;
import java.util.Set;

/** {@code compute.instance} on Azure: virtual machines (id = the ARM id); events on an extension name its VM. */
public final class ComputeInstance implements AzureType {
    @Override
    public ResourceDescriptor descriptor() {
        return VirtualMachines.descriptor();
    }

    @Override
    public List<String> armResourceTypes() {
        return List.of(VirtualMachines.NATIVE_TYPE);
    }

    @Override
    public List<Remediator> remediators() {
        return List.of();
    }

    /** Both VM resources of the azurerm provider map into this type. */
    @Override
    public Set<String> terraformTypes() {
        return Set.of("azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine");
    }
}
