package io.cloudwarden.provider.azure.compute.group;

import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.TerraformImport;
import io.cloudwarden.model.Resource;
import io.cloudwarden.provider.azure.AzureType;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code compute.group} on Azure: virtual machine scale sets (id = the ARM id). Seen by scans only, as on AWS: no
 * Event Grid types are routed (a scale-out changes membership and load, which the scheduled scan re-reads anyway).
 * A Terraform state's {@code azurerm_linux_}/{@code windows_}/{@code orchestrated_virtual_machine_scale_set} and the
 * legacy {@code azurerm_virtual_machine_scale_set} are mapped by {@code AzureBaselineMapper}, with the
 * {@code azurerm_monitor_autoscale_setting} that targets a set folded in (its capacity range); the set's instances
 * are left to the set by drift ({@code DriftEngine}, "Members of scaling groups").
 */
public final class ComputeGroup implements AzureType {
    @Override
    public ResourceDescriptor descriptor() {
        return ScaleSets.descriptor();
    }

    @Override
    public List<String> armResourceTypes() {
        return List.of();
    }

    @Override
    public Set<String> terraformTypes() {
        return Set.of("azurerm_linux_virtual_machine_scale_set", "azurerm_windows_virtual_machine_scale_set",
                "azurerm_orchestrated_virtual_machine_scale_set", "azurerm_virtual_machine_scale_set",
                "azurerm_monitor_autoscale_setting");
    }

    @Override
    public java.util.Map<String, String> terraformAttributes() {
        return java.util.Map.of("/capacity", "azurerm_*_virtual_machine_scale_set.instances (legacy: sku.capacity) / "
                + "azurerm_monitor_autoscale_setting.profile.capacity");
    }

    /**
     * azurerm r/orchestrated_virtual_machine_scale_set (Flexible), r/linux_ and r/windows_virtual_machine_scale_set
     * (Uniform) "Import": the resource id.
     */
    @Override
    public TerraformImport terraformImport(Resource observed) {
        var props = observed.raw() == null ? null : observed.raw().path("properties");
        if (props != null && "Flexible".equalsIgnoreCase(props.path("orchestrationMode").asText(""))) {
            return new TerraformImport.Importable("azurerm_orchestrated_virtual_machine_scale_set", observed.id());
        }
        String os = props == null ? "" : props.path("virtualMachineProfile").path("storageProfile").path("osDisk")
                .path("osType").asText("");
        if (os.isEmpty() && props != null) {
            var osProfile = props.path("virtualMachineProfile").path("osProfile");
            os = osProfile.has("windowsConfiguration") ? "windows" : osProfile.has("linuxConfiguration") ? "linux" : "";
        }
        return switch (os.toLowerCase(Locale.ROOT)) {
            case "linux" -> new TerraformImport.Importable("azurerm_linux_virtual_machine_scale_set", observed.id());
            case "windows" -> new TerraformImport.Importable("azurerm_windows_virtual_machine_scale_set", observed.id());
            default -> new TerraformImport.NotImportable("azurerm_linux_virtual_machine_scale_set",
                    "the scale set's orchestration mode and OS were not observed, so no azurerm scale set type can be"
                            + " chosen");
        };
    }
}
