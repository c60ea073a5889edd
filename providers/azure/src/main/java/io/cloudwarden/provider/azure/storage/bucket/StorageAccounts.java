package io.cloudwarden.provider.azure.storage.bucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.provider.azure.Json;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.util.Locale;
import java.util.Optional;

/**
 * Storage accounts → {@code storage.bucket}.
 *
 * <p>Resource Graph returns the account document; three ARM reads are added under {@code cloudwarden}:
 * {@code blobService} (the default blob service, for {@code isVersioningEnabled}), {@code containers} (their
 * {@code publicAccess} levels) and {@code diagnosticSettings} (of the blob service).
 *
 * <p>Rules: {@code publicAccess} = {@code allowBlobPublicAccess} (absent = false, the documented default) AND at
 * least one container whose level is not {@code None}: anonymous reads need both. {@code logging} = true when a
 * diagnostic setting on the blob service enables at least one log category or category group (the account-level
 * classic "Storage Analytics" logging is a data-plane setting and is not read). Encryption is always on for Azure
 * Storage; {@code keySource} {@code Microsoft.Keyvault} means customer-managed keys.
 */
public final class StorageAccounts {
    public static final String NATIVE_TYPE = "Microsoft.Storage/storageAccounts";
    public static final String API = "2023-05-01";
    static final String DIAGNOSTICS_API = "2021-05-01-preview";

    private StorageAccounts() {
    }

    static ObjectNode enrich(AzureSession session, ObjectNode account) {
        String id = account.path("id").asText();
        String blobService = id + "/blobServices/default";
        ObjectNode extra = account.putObject("cloudwarden");
        session.arm().get(blobService, API, "Microsoft.Storage/storageAccounts/blobServices/read")
                .ifPresent(b -> extra.set("blobService", b));
        ArrayNode containers = extra.putArray("containers");
        session.arm().list(blobService + "/containers", API,
                "Microsoft.Storage/storageAccounts/blobServices/containers/read", containers::add);
        ArrayNode diagnostics = extra.putArray("diagnosticSettings");
        session.arm().list(blobService + "/providers/Microsoft.Insights/diagnosticSettings", DIAGNOSTICS_API,
                "Microsoft.Insights/diagnosticSettings/read", diagnostics::add);
        return account;
    }

    public static Normalized normalize(NativeItem item) {
        JsonNode json = item.json();
        JsonNode props = json.path("properties");
        JsonNode extra = json.path("cloudwarden");
        ObjectNode a = Json.nodes().objectNode();
        boolean allow = Json.bool(props, "allowBlobPublicAccess", false);
        boolean anyPublicContainer = false;
        for (JsonNode c : Json.array(extra.path("containers"))) {
            anyPublicContainer |= isPublicLevel(Json.text(c, "properties.publicAccess").orElse("None"));
        }
        a.put(Attributes.StorageBucket.PUBLIC_ACCESS, allow && anyPublicContainer);
        ObjectNode enc = a.putObject("encryption");
        enc.put("enabled", true);
        enc.put("keyType", keyType(Json.text(props, "encryption.keySource").orElse("Microsoft.Storage")));
        a.put("versioning", Json.bool(extra, "blobService.properties.isVersioningEnabled", false));
        Optional<String> tls = Json.text(props, "minimumTlsVersion").map(StorageAccounts::tlsVersion);
        if (tls.isPresent()) {
            a.put(Attributes.StorageBucket.MIN_TLS_VERSION, tls.get());
        } else {
            a.putNull(Attributes.StorageBucket.MIN_TLS_VERSION);
        }
        boolean logging = false;
        for (JsonNode setting : Json.array(extra.path("diagnosticSettings"))) {
            for (JsonNode log : Json.array(setting.path("properties").path("logs"))) {
                logging |= log.path("enabled").asBoolean(false);
            }
        }
        a.put("logging", logging);
        a.put("httpsOnly", Json.bool(props, "supportsHttpsTrafficOnly", true));
        return new Normalized(json.path("name").asText(""), Json.tags(json.path("tags")), a);
    }

    /** Container levels are {@code None}, {@code Blob}, {@code Container}; Terraform says private/blob/container. */
    public static boolean isPublicLevel(String level) {
        String l = level.toLowerCase(Locale.ROOT);
        return l.equals("blob") || l.equals("container");
    }

    public static String keyType(String keySource) {
        return keySource.equalsIgnoreCase("Microsoft.Keyvault") ? "customer-managed" : "provider-managed";
    }

    /** {@code TLS1_2} → {@code 1.2}. */
    public static String tlsVersion(String armValue) {
        String v = armValue.toUpperCase(Locale.ROOT);
        if (v.startsWith("TLS")) {
            v = v.substring(3);
        }
        return v.replace('_', '.');
    }
}
