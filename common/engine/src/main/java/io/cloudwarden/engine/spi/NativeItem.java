package io.cloudwarden.engine.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One native resource as a collector read it: its id in the model's id scheme (ARN / ARM id / CAI name), the account
 * and region it lives in, and its native JSON (kept as {@code raw} evidence and fed to the normalizer).
 */
public record NativeItem(String id, String account, String region, JsonNode json) {
    public NativeItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(json, "json");
        account = account == null ? "" : account;
        region = region == null ? "" : region;
    }
}
