package io.cloudwarden.provider.azure.compute.instance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.azure.Json;
import io.cloudwarden.provider.azure.session.AzureSession;
import io.cloudwarden.provider.azure.session.GraphCollector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Virtual machines → {@code compute.instance}. The NICs and their public IP addresses are read with ARM and kept
 * under {@code cloudwarden.networkInterfaces} / {@code cloudwarden.publicIpAddresses}.
 *
 * <p>Rules: {@code state} is the {@code PowerState/...} code without its prefix ({@code running}, {@code
 * deallocated}), from Resource Graph's {@code properties.extended.instanceView} or the ARM instance view.
 * {@code imageId} is the custom image id, else the marketplace URN {@code publisher:offer:sku:version}.
 * {@code identity}: the system-assigned principal id, else the first user-assigned identity id (sorted), else null.
 * {@code diskEncryption}: true when every OS and data disk is a managed disk (Azure Storage server-side encryption
 * always encrypts managed disks at rest) or Azure Disk Encryption is enabled on the OS disk. {@code metadataHardened}:
 * always true: Azure IMDS is reachable only from inside the VM, requires the {@code Metadata: true} header and
 * rejects forwarded requests ({@code X-Forwarded-For}), the protection AWS IMDSv2 has to be switched on for.
 * {@code utilization}: what {@link InstanceUtilization} read from Azure Monitor ({@code cloudwarden.utilization}),
 * else null. {@code group}: the scale set a Flexible-orchestration member names in
 * {@code properties.virtualMachineScaleSet.id}, else null (a standalone VM; the instances of a Uniform scale set are
 * not {@code Microsoft.Compute/virtualMachines} resources and are not listed as {@code compute.instance}).
 */
public final class VirtualMachines {
    public static final String NATIVE_TYPE = "Microsoft.Compute/virtualMachines";
    public static final String API = "2024-07-01";
    static final String NETWORK_API = "2024-05-01";

    private VirtualMachines() {
    }

    public static ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.COMPUTE_INSTANCE, NATIVE_TYPE, Scope.ACCOUNT,
                Set.of(Capability.LIST, Capability.FETCH),
                List.of("Microsoft.ResourceGraph/resources/read", "Microsoft.Compute/virtualMachines/read",
                        "Microsoft.Compute/virtualMachines/instanceView/read",
                        "Microsoft.Network/networkInterfaces/read", "Microsoft.Network/publicIPAddresses/read",
                        "Microsoft.Insights/metrics/read"),
                InstanceUtilization.wrap(PatchStates.wrap(new GraphCollector(NATIVE_TYPE, API,
                        "$expand=instanceView", VirtualMachines::enrich)), java.time.Clock.systemUTC()),
                VirtualMachines::normalize);
    }

    static ObjectNode enrich(AzureSession session, ObjectNode vm) {
        ObjectNode extra = vm.putObject("cloudwarden");
        ArrayNode nics = extra.putArray("networkInterfaces");
        ArrayNode pips = extra.putArray("publicIpAddresses");
        for (JsonNode ref : Json.array(vm.path("properties").path("networkProfile").path("networkInterfaces"))) {
            String nicId = ref.path("id").asText("");
            if (nicId.isEmpty()) {
                continue;
            }
            session.arm().get(nicId, NETWORK_API, "Microsoft.Network/networkInterfaces/read").ifPresent(nic -> {
                nics.add(nic);
                for (JsonNode ipc : Json.array(nic.path("properties").path("ipConfigurations"))) {
                    String pipId = ipc.path("properties").path("publicIPAddress").path("id").asText("");
                    if (!pipId.isEmpty()) {
                        session.arm().get(pipId, NETWORK_API, "Microsoft.Network/publicIPAddresses/read")
                                .ifPresent(pips::add);
                    }
                }
            });
        }
        return vm;
    }

    public static Normalized normalize(NativeItem item) {
        JsonNode json = item.json();
        JsonNode props = json.path("properties");
        ObjectNode a = Json.nodes().objectNode();
        a.put("state", powerState(props).orElse("unknown"));
        Optional<String> ip = Optional.empty();
        for (JsonNode pip : Json.array(json.path("cloudwarden").path("publicIpAddresses"))) {
            ip = ip.or(() -> Json.text(pip, "properties.ipAddress"));
        }
        putOrNull(a, "publicIp", ip);
        putOrNull(a, "imageId", imageId(props.path("storageProfile").path("imageReference")));
        putOrNull(a, "identity", identity(json.path("identity")));
        a.put(Attributes.ComputeInstance.DISK_ENCRYPTION, diskEncryption(props.path("storageProfile")));
        a.put(Attributes.ComputeInstance.METADATA_HARDENED, true);
        a.set(Attributes.ComputeInstance.OS, PatchStates.os(json));
        a.set(Attributes.ComputeInstance.PATCH, PatchStates.patch(json));
        a.set(Attributes.ComputeInstance.UTILIZATION, io.cloudwarden.engine.spi.utilization.CpuUtilization.toJson(
                io.cloudwarden.engine.spi.utilization.CpuUtilization.fromJson(
                        json.path("cloudwarden").get("utilization"))));
        putOrNull(a, Attributes.ComputeInstance.GROUP, Json.text(props, "virtualMachineScaleSet.id"));
        return new Normalized(json.path("name").asText(""), Json.tags(json.path("tags")), a);
    }

    static void putOrNull(ObjectNode a, String field, Optional<String> value) {
        if (value.isPresent()) {
            a.put(field, value.get());
        } else {
            a.putNull(field);
        }
    }

    static Optional<String> powerState(JsonNode props) {
        Optional<String> code = Json.text(props, "extended.instanceView.powerState.code");
        if (code.isEmpty()) {
            for (JsonNode s : Json.array(props.path("instanceView").path("statuses"))) {
                String c = s.path("code").asText("");
                if (c.startsWith("PowerState/")) {
                    code = Optional.of(c);
                }
            }
        }
        return code.map(c -> c.substring(c.indexOf('/') + 1).toLowerCase(Locale.ROOT));
    }

    public static Optional<String> imageId(JsonNode imageReference) {
        Optional<String> id = Json.text(imageReference, "id");
        if (id.isPresent()) {
            return id;
        }
        Optional<String> publisher = Json.text(imageReference, "publisher");
        if (publisher.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(publisher.get() + ":" + Json.text(imageReference, "offer").orElse("") + ":"
                + Json.text(imageReference, "sku").orElse("") + ":"
                + Json.text(imageReference, "version").orElse("latest"));
    }

    static Optional<String> identity(JsonNode identity) {
        String type = identity.path("type").asText("None");
        if (type.contains("SystemAssigned")) {
            Optional<String> principal = Json.text(identity, "principalId");
            if (principal.isPresent()) {
                return principal;
            }
        }
        List<String> ids = new ArrayList<>();
        Iterator<String> names = identity.path("userAssignedIdentities").fieldNames();
        names.forEachRemaining(ids::add);
        return ids.stream().sorted(String.CASE_INSENSITIVE_ORDER).findFirst();
    }

    static boolean diskEncryption(JsonNode storageProfile) {
        if (Json.bool(storageProfile, "osDisk.encryptionSettings.enabled", false)) {
            return true;
        }
        boolean managed = !storageProfile.path("osDisk").path("managedDisk").isMissingNode();
        for (JsonNode d : Json.array(storageProfile.path("dataDisks"))) {
            managed &= !d.path("managedDisk").isMissingNode();
        }
        return managed;
    }
}
