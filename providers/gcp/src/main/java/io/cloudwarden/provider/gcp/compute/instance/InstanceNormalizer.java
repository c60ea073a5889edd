package io.cloudwarden.provider.gcp.compute.instance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ResourceNormalizer;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.provider.gcp.AssetJson;
import io.cloudwarden.provider.gcp.Labels;
import java.util.Locale;

/**
 * Compute Engine instance → {@code compute.instance}.
 * <ul>
 * <li>{@code state}: {@code status} lower-cased ({@code running}, {@code terminated}, …).</li>
 * <li>{@code publicIp}: the first {@code natIP} of any access config, else null.</li>
 * <li>{@code imageId}: the boot disk's {@code initializeParams.sourceImage} when the API reports it, else null
 * (the instances API names the disk, not its image).</li>
 * <li>{@code identity}: the attached service account's email, else null.</li>
 * <li>{@code diskEncryption}: every attached disk uses a key the customer controls (CMEK {@code kmsKeyName} or a
 * customer-supplied key, shown as {@code sha256}); Google-default encryption counts as false, because that is the
 * control this attribute exists to check.</li>
 * <li>{@code metadataHardened}: Shielded VM secure boot is on AND the instance metadata sets
 * {@code enable-oslogin=TRUE}. Project-wide metadata is not read, so OS Login enabled only at project level counts
 * as false.</li>
 * </ul>
 */
public final class InstanceNormalizer implements ResourceNormalizer {
    @Override
    public Normalized normalize(NativeItem item) {
        JsonNode d = AssetJson.data(item.json());
        ObjectNode a = ModelJson.mapper().createObjectNode();
        a.put("state", d.path("status").asText("").toLowerCase(Locale.ROOT));
        String ip = null;
        for (JsonNode nic : d.path("networkInterfaces")) {
            for (JsonNode ac : nic.path("accessConfigs")) {
                if (ip == null && !ac.path("natIP").asText("").isEmpty()) {
                    ip = ac.path("natIP").asText();
                }
            }
        }
        a.put("publicIp", ip);
        String image = null;
        for (JsonNode disk : d.path("disks")) {
            if (disk.path("boot").asBoolean(false)
                    && !disk.path("initializeParams").path("sourceImage").asText("").isEmpty()) {
                image = disk.path("initializeParams").path("sourceImage").asText();
            }
        }
        a.put("imageId", image);
        String email = d.path("serviceAccounts").path(0).path("email").asText("");
        a.put("identity", email.isEmpty() ? null : email);
        boolean allCustomer = d.path("disks").size() > 0;
        for (JsonNode disk : d.path("disks")) {
            JsonNode key = disk.path("diskEncryptionKey");
            allCustomer &= !key.path("kmsKeyName").asText("").isEmpty() || !key.path("sha256").asText("").isEmpty();
        }
        a.put(Attributes.ComputeInstance.DISK_ENCRYPTION, allCustomer);
        boolean secureBoot = d.path("shieldedInstanceConfig").path("enableSecureBoot").asBoolean(false);
        a.put(Attributes.ComputeInstance.METADATA_HARDENED, secureBoot && osLogin(d.path("metadata").path("items")));
        a.set(Attributes.ComputeInstance.OS, PatchStates.os(item.json()));
        a.set(Attributes.ComputeInstance.PATCH, PatchStates.patch(item.json()));
        a.set(Attributes.ComputeInstance.UTILIZATION, InstanceUtilization.utilization(item.json()));
        a.set(Attributes.ComputeInstance.GROUP, InstanceUtilization.group(item.json()));
        return new Normalized(d.path("name").asText(""), Labels.of(d.path("labels")), a);
    }

    private static boolean osLogin(JsonNode items) {
        for (JsonNode i : items) {
            if ("enable-oslogin".equals(i.path("key").asText())) {
                return "true".equalsIgnoreCase(i.path("value").asText());
            }
        }
        return false;
    }
}
