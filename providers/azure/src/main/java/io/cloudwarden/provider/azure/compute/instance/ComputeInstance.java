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
        return List.of(new InstallPatches());
    }

    /** Both VM resources of the azurerm provider map into this type. */
    @Override
    public Set<String> terraformTypes() {
        return Set.of("azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine");
    }

    /**
     * azurerm r/linux_virtual_machine and r/windows_virtual_machine "Import": the resource id. The resource type
     * follows the OS disk's {@code osType} (else the model's {@code os.family}); a VM whose OS was not observed is
     * not importable, since picking one would make {@code terraform plan} fail.
     */
    @Override
    public io.cloudwarden.engine.spi.TerraformImport terraformImport(io.cloudwarden.model.Resource observed) {
        String os = observed.raw() == null ? "" : observed.raw().at("/properties/storageProfile/osDisk/osType")
                .asText("");
        if (os.isEmpty()) {
            os = observed.attributes().at("/os/family").asText("");
        }
        return switch (os.toLowerCase(java.util.Locale.ROOT)) {
            case "linux" -> new io.cloudwarden.engine.spi.TerraformImport.Importable("azurerm_linux_virtual_machine", observed.id());
            case "windows" -> new io.cloudwarden.engine.spi.TerraformImport.Importable("azurerm_windows_virtual_machine", observed.id());
            default -> new io.cloudwarden.engine.spi.TerraformImport.NotImportable("azurerm_linux_virtual_machine",
                    "the VM's OS type was not observed, so neither azurerm_linux_virtual_machine nor"
                            + " azurerm_windows_virtual_machine can be chosen");
        };
    }

    @Override
    public java.util.Map<String, String> terraformAttributes() {
        return java.util.Map.of("/diskEncryption", "encryption_at_host_enabled (azurerm_*_virtual_machine)",
                "/identity", "identity (azurerm_*_virtual_machine)");
    }
}
