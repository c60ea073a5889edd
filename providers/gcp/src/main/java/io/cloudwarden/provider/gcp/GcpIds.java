package io.cloudwarden.provider.gcp;

import java.util.Optional;

/**
 * Cloud Asset Inventory full resource names, the model's GCP id scheme, and their native asset types. Service
 * accounts and their keys are named by the account's numeric unique id (as CAI names them), not its email.
 */
public final class GcpIds {
    public static final String GLOBAL = "global";

    public static final String BUCKET_TYPE = "storage.googleapis.com/Bucket";
    public static final String FIREWALL_TYPE = "compute.googleapis.com/Firewall";
    public static final String INSTANCE_TYPE = "compute.googleapis.com/Instance";
    public static final String SERVICE_ACCOUNT_TYPE = "iam.googleapis.com/ServiceAccount";
    public static final String SERVICE_ACCOUNT_KEY_TYPE = "iam.googleapis.com/ServiceAccountKey";
    public static final String CRYPTO_KEY_TYPE = "cloudkms.googleapis.com/CryptoKey";
    public static final String PROJECT_TYPE = "cloudresourcemanager.googleapis.com/Project";

    private GcpIds() {
    }

    public static String bucket(String name) {
        return "//storage.googleapis.com/" + name;
    }

    public static String firewall(String project, String name) {
        return "//compute.googleapis.com/projects/" + project + "/global/firewalls/" + name;
    }

    public static String instance(String project, String zone, String name) {
        return "//compute.googleapis.com/projects/" + project + "/zones/" + zone + "/instances/" + name;
    }

    public static String serviceAccount(String project, String uniqueId) {
        return "//iam.googleapis.com/projects/" + project + "/serviceAccounts/" + uniqueId;
    }

    public static String serviceAccountKey(String project, String uniqueId, String keyId) {
        return serviceAccount(project, uniqueId) + "/keys/" + keyId;
    }

    /** {@code projects/P/locations/L/keyRings/R/cryptoKeys/K} → CAI name. */
    public static String cryptoKey(String relativeName) {
        return "//cloudkms.googleapis.com/" + relativeName;
    }

    /** The path segment after {@code marker} in a resource name ({@code projects}, {@code zones}, …). */
    public static Optional<String> segment(String name, String marker) {
        String[] parts = name.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].equals(marker) && !parts[i + 1].isEmpty()) {
                return Optional.of(parts[i + 1]);
            }
        }
        return Optional.empty();
    }

    /** The last path segment. */
    public static String last(String name) {
        int i = name.lastIndexOf('/');
        return i < 0 ? name : name.substring(i + 1);
    }

    /** Strips the {@code //service.googleapis.com/} prefix of a CAI name. */
    public static String relative(String caiName) {
        if (!caiName.startsWith("//")) {
            return caiName;
        }
        int slash = caiName.indexOf('/', 2);
        return slash < 0 ? "" : caiName.substring(slash + 1);
    }
}
