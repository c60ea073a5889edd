package io.cloudwarden.model;

import java.util.List;

/** The normalized resource types of model v1. Users write rules against these names. */
public final class ResourceTypes {
    public static final String STORAGE_BUCKET = "storage.bucket";
    public static final String NETWORK_FIREWALL = "network.firewall";
    public static final String COMPUTE_INSTANCE = "compute.instance";
    public static final String COMPUTE_GROUP = "compute.group";
    public static final String IDENTITY_USER = "identity.user";
    public static final String IDENTITY_KEY = "identity.key";
    public static final String KMS_KEY = "kms.key";

    public static final List<String> ALL = List.of(
            STORAGE_BUCKET, NETWORK_FIREWALL, COMPUTE_INSTANCE, COMPUTE_GROUP, IDENTITY_USER, IDENTITY_KEY, KMS_KEY);

    private ResourceTypes() {
    }

    public static boolean isKnown(String type) {
        return ALL.contains(type);
    }
}
