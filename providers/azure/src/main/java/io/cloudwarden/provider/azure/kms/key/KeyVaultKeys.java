package io.cloudwarden.provider.azure.kms.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.concurrency.ParallelReads;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.provider.azure.ArmId;
import io.cloudwarden.provider.azure.Json;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Key Vault keys → {@code kms.key}. Resource Graph indexes vaults but not their keys, so the collector queries the
 * vaults of the subscription and lists each vault's keys with ARM ({@code Microsoft.KeyVault/vaults/keys}), then GETs
 * each key for its {@code rotationPolicy}.
 *
 * <p>Rules: {@code rotationEnabled} = the rotation policy has a lifetime action of type {@code rotate}.
 * {@code rotationPeriodDays} = that action's {@code timeAfterCreate}, else the policy's {@code expiryTime} minus its
 * {@code timeBeforeExpiry}; ISO 8601 periods count a year as 365 and a month as 30 days; null without rotation.
 */
public final class KeyVaultKeys implements ResourceCollector {
    public static final String NATIVE_TYPE = "Microsoft.KeyVault/vaults/keys";
    public static final String API = "2023-07-01";

    static String kql() {
        return "resources | where type =~ 'Microsoft.KeyVault/vaults' | project id, name, location | order by id asc";
    }

    @Override
    public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
        AzureSession az = (AzureSession) session;
        // Each vault's keys (list, then a GET per key) are read concurrently with other vaults' within the
        // subscription's ARM read quota; keys reach the sink in vault order, a failed read fails the shard as before.
        var reads = ParallelReads.ordered(az.armReads(shard.account()), (JsonNode vault) -> {
            String vaultId = vault.path("id").asText("");
            String location = vault.path("location").asText("");
            List<NativeItem> keys = new java.util.ArrayList<>();
            for (JsonNode listed : az.arm().listAll(vaultId + "/keys", API, "Microsoft.KeyVault/vaults/keys/read")) {
                String keyId = listed.path("id").asText("");
                JsonNode key = az.arm().get(keyId, API, "Microsoft.KeyVault/vaults/keys/read").orElse(null);
                if (key != null) {
                    keys.add(new NativeItem(key.path("id").asText(keyId), shard.account(),
                            key.path("location").asText(location), key));
                }
            }
            return keys;
        }, (List<NativeItem> keys) -> keys.forEach(sink));
        try {
            az.arm().resourceGraph(shard.account(), kql(), "Microsoft.ResourceGraph/resources/read", reads::submit);
            reads.finish();
        } catch (RuntimeException e) {
            reads.finish();
            throw e;
        } finally {
            reads.cancel();
        }
    }

    @Override
    public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
        AzureSession az = (AzureSession) session;
        return az.arm().get(ref.id(), API, "Microsoft.KeyVault/vaults/keys/read")
                .map(k -> new NativeItem(k.path("id").asText(ref.id()),
                        ArmId.subscription(ref.id()).orElse(ref.account()), k.path("location").asText(ref.region()),
                        k));
    }

    public static Normalized normalize(NativeItem item) {
        JsonNode json = item.json();
        JsonNode props = json.path("properties");
        ObjectNode a = Json.nodes().objectNode();
        a.put("enabled", Json.bool(props, "attributes.enabled", true));
        JsonNode policy = props.path("rotationPolicy");
        OptionalInt period = OptionalInt.empty();
        boolean rotation = false;
        for (JsonNode action : Json.array(policy.path("lifetimeActions"))) {
            if (action.path("action").path("type").asText("").equalsIgnoreCase("rotate")) {
                rotation = true;
                period = rotationPeriod(Json.text(action, "trigger.timeAfterCreate"),
                        Json.text(action, "trigger.timeBeforeExpiry"), Json.text(policy, "attributes.expiryTime"));
            }
        }
        a.put(Attributes.KmsKey.ROTATION_ENABLED, rotation);
        // ARM lists no soft-deleted keys, and Key Vault rotation policies apply to every key type.
        a.put("pendingDeletion", false);
        a.put("rotationSupported", true);
        if (period.isPresent()) {
            a.put(Attributes.KmsKey.ROTATION_PERIOD_DAYS, period.getAsInt());
        } else {
            a.putNull(Attributes.KmsKey.ROTATION_PERIOD_DAYS);
        }
        return new Normalized(json.path("name").asText(""), Json.tags(json.path("tags")), a);
    }

    /** Days between rotations, from ISO 8601 periods; empty when not determinable. */
    public static OptionalInt rotationPeriod(Optional<String> afterCreate, Optional<String> beforeExpiry,
            Optional<String> expiry) {
        if (afterCreate.isPresent()) {
            return days(afterCreate.get());
        }
        if (beforeExpiry.isPresent() && expiry.isPresent()) {
            OptionalInt e = days(expiry.get());
            OptionalInt b = days(beforeExpiry.get());
            if (e.isPresent() && b.isPresent()) {
                return OptionalInt.of(e.getAsInt() - b.getAsInt());
            }
        }
        return OptionalInt.empty();
    }

    public static OptionalInt days(String iso) {
        try {
            Period p = Period.parse(iso.trim());
            return OptionalInt.of(p.getYears() * 365 + p.getMonths() * 30 + p.getDays());
        } catch (DateTimeParseException e) {
            return OptionalInt.empty();
        }
    }
}
