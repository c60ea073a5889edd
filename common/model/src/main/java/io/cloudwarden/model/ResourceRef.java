package io.cloudwarden.model;

import java.util.Locale;
import java.util.Objects;

/**
 * Identity of one resource: resources are matched by (cloud, type, id). Azure ids are ARM ids and compare
 * case-insensitively, so {@link #matchKey()} lower-cases them.
 */
public record ResourceRef(Cloud cloud, String account, String region, String type, String id) {
    public ResourceRef {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        account = account == null ? "" : account;
        region = region == null ? "" : region;
    }

    /** The key drift matching uses: cloud, type and id (ARM ids folded to lower case). */
    public String matchKey() {
        return matchKey(cloud, type, id);
    }

    public static String matchKey(Cloud cloud, String type, String id) {
        String normalizedId = cloud == Cloud.AZURE ? id.toLowerCase(Locale.ROOT) : id;
        return cloud.id() + "|" + type + "|" + normalizedId;
    }
}
