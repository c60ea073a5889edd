package io.cloudwarden.bench.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The GCP estate as Cloud Asset Inventory's REST API serves it ({@code GET /v1/projects/P/assets} with
 * {@code assetTypes}, {@code contentType} — the HTTP/JSON transport sends the enum's number: 1 RESOURCE, 2 IAM_POLICY
 * — {@code pageSize} and {@code pageToken}): N of each of the six types in one project, which is all a GCP scan reads.
 *
 * <p>Planted, by index {@code i}: bucket public ({@code allUsers} reader, public access prevention inherited) when
 * {@code i % 10 == 0}, unversioned when {@code i % 3 != 0}; firewall open to the internet on SSH when
 * {@code i % 10 == 0}; instance with an external IP when {@code i % 10 == 0}; service account holding
 * {@code roles/owner} on the project when {@code i % 20 == 0}; its one user-managed key created 400 days ago when
 * {@code i % 5 == 0} (old), else 30 days ago; crypto key without rotation when {@code i % 4 == 0}.
 */
final class CaiEstate {
    static final String PROJECT = "cw-bench";
    private static final String NUMBER = "482910375599";
    static final String BUCKET = "storage.googleapis.com/Bucket";
    static final String FIREWALL = "compute.googleapis.com/Firewall";
    static final String INSTANCE = "compute.googleapis.com/Instance";
    static final String SERVICE_ACCOUNT = "iam.googleapis.com/ServiceAccount";
    static final String KEY = "iam.googleapis.com/ServiceAccountKey";
    static final String CRYPTO_KEY = "cloudkms.googleapis.com/CryptoKey";
    static final String PROJECT_TYPE = "cloudresourcemanager.googleapis.com/Project";
    private static final String COMPUTE = "https://www.googleapis.com/compute/v1/projects/" + PROJECT;

    private final int n;
    private final Instant now;

    CaiEstate(int n, Instant now) {
        this.n = n;
        this.now = now;
    }

    /** {@code ListAssets} of {@code projects/PROJECT}; null for another project. */
    Reply listAssets(String project, Map<String, String> q) {
        if (!PROJECT.equals(project)) {
            return null;
        }
        String type = q.getOrDefault("assetTypes", "");
        String content = q.getOrDefault("contentType", "");
        boolean iam = content.equals("2") || content.equals("IAM_POLICY");
        int total = type.equals(PROJECT_TYPE) ? 1 : n;
        int size = q.containsKey("pageSize") ? Integer.parseInt(q.get("pageSize")) : 100;
        int from = q.containsKey("pageToken") ? AwsEstate.token(q.get("pageToken")) : 0;
        int to = Math.min(total, from + size);
        StringBuilder b = new StringBuilder("{\"readTime\":\"").append(now).append("\",\"assets\":[");
        for (int i = from; i < to; i++) {
            if (i > from) {
                b.append(',');
            }
            if (iam) {
                iamAsset(b, type, i);
            } else {
                resourceAsset(b, type, i);
            }
        }
        b.append(']');
        if (to < total) {
            b.append(",\"nextPageToken\":\"").append(AwsEstate.token(to)).append('"');
        }
        return new Reply(200, "application/json", b.append('}').toString());
    }

    private void iamAsset(StringBuilder b, String type, int i) {
        switch (type) {
            case BUCKET -> b.append("{\"name\":\"//storage.googleapis.com/").append(bucket(i))
                    .append("\",\"assetType\":\"").append(BUCKET).append("\",\"iamPolicy\":{\"version\":1,\"bindings\":[")
                    .append("{\"role\":\"roles/storage.legacyBucketOwner\",\"members\":[\"projectOwner:").append(PROJECT)
                    .append("\"]}").append(i % 10 == 0 ? ",{\"role\":\"roles/storage.objectViewer\",\"members\":"
                            + "[\"allUsers\"]}" : "").append("],\"etag\":\"BwYqS3b1xQ8=\"},\"ancestors\":[\"projects/")
                    .append(NUMBER).append("\"]}");
            case PROJECT_TYPE -> {
                b.append("{\"name\":\"//cloudresourcemanager.googleapis.com/projects/").append(NUMBER)
                        .append("\",\"assetType\":\"").append(PROJECT_TYPE).append("\",\"iamPolicy\":{\"version\":1,")
                        .append("\"bindings\":[{\"role\":\"roles/owner\",\"members\":[\"user:owner@example.com\"");
                for (int k = 0; k < n; k += 20) {
                    b.append(",\"serviceAccount:").append(email(k)).append('"');
                }
                b.append("]},{\"role\":\"roles/logging.logWriter\",\"members\":[");
                for (int k = 1; k < n; k += 20) {
                    b.append(k > 1 ? "," : "").append("\"serviceAccount:").append(email(k)).append('"');
                }
                b.append("]}],\"etag\":\"BwYqAbCdEfG=\"},\"ancestors\":[\"projects/").append(NUMBER).append("\"]}");
            }
            default -> b.append("{\"name\":\"//bench/").append(i).append("\",\"assetType\":\"").append(type)
                    .append("\"}");
        }
    }

    private void resourceAsset(StringBuilder b, String type, int i) {
        switch (type) {
            case BUCKET -> asset(b, "//storage.googleapis.com/" + bucket(i), BUCKET, "Bucket", "//cloudresourcemanager"
                    + ".googleapis.com/projects/" + NUMBER, "{\"kind\":\"storage#bucket\",\"id\":\"" + bucket(i)
                    + "\",\"name\":\"" + bucket(i) + "\",\"projectNumber\":\"" + NUMBER + "\",\"location\":\"US-CENTRAL1\","
                    + "\"locationType\":\"region\",\"storageClass\":\"STANDARD\",\"timeCreated\":\"" + days(i % 900)
                    + "\",\"iamConfiguration\":{\"uniformBucketLevelAccess\":{\"enabled\":true},"
                    + "\"publicAccessPrevention\":\"" + (i % 10 == 0 ? "inherited" : "enforced") + "\"},"
                    + "\"versioning\":{\"enabled\":" + (i % 3 == 0) + "}" + (i % 5 == 4 ? "" : ",\"labels\":{\"team\":\"t"
                    + (i % 17) + "\"}") + "}", "us-central1");
            case FIREWALL -> asset(b, "//compute.googleapis.com/projects/" + PROJECT + "/global/firewalls/fw-" + i,
                    FIREWALL, "Firewall", "//cloudresourcemanager.googleapis.com/projects/" + NUMBER,
                    "{\"id\":\"" + (6122849021374821099L + i) + "\",\"name\":\"fw-" + i + "\",\"network\":\"" + COMPUTE
                            + "/global/networks/default\",\"priority\":1000,\"sourceRanges\":[\""
                            + (i % 10 == 0 ? "0.0.0.0/0" : "10.0.0.0/8") + "\"],\"allowed\":[{\"IPProtocol\":\"tcp\","
                            + "\"ports\":[\"" + (i % 10 == 0 ? "22" : "443") + "\"]}],\"direction\":\"INGRESS\","
                            + "\"disabled\":false,\"selfLink\":\"" + COMPUTE + "/global/firewalls/fw-" + i + "\"}",
                    "global");
            case INSTANCE -> asset(b, "//compute.googleapis.com/projects/" + PROJECT + "/zones/us-central1-a/instances/vm-"
                    + i, INSTANCE, "Instance", "//cloudresourcemanager.googleapis.com/projects/" + NUMBER,
                    "{\"id\":\"" + (3920011928374650012L + i) + "\",\"name\":\"vm-" + i + "\",\"machineType\":\""
                            + COMPUTE + "/zones/us-central1-a/machineTypes/e2-medium\",\"status\":\"RUNNING\",\"zone\":\""
                            + COMPUTE + "/zones/us-central1-a\",\"networkInterfaces\":[{\"network\":\"" + COMPUTE
                            + "/global/networks/default\",\"networkIP\":\"10.128." + (i / 250) % 256 + "." + (i % 250 + 1)
                            + "\",\"name\":\"nic0\"" + (i % 10 == 0 ? ",\"accessConfigs\":[{\"type\":\"ONE_TO_ONE_NAT\","
                            + "\"name\":\"External NAT\",\"natIP\":\"34.122." + (i / 250) % 256 + "." + (i % 250 + 1)
                            + "\",\"networkTier\":\"PREMIUM\"}]" : "") + "}],\"disks\":[{\"type\":\"PERSISTENT\","
                            + "\"mode\":\"READ_WRITE\",\"source\":\"" + COMPUTE + "/zones/us-central1-a/disks/vm-" + i
                            + "\",\"deviceName\":\"vm-" + i + "\",\"index\":0,\"boot\":true,\"autoDelete\":true}],"
                            + "\"shieldedInstanceConfig\":{\"enableSecureBoot\":" + (i % 4 != 1) + ",\"enableVtpm\":true,"
                            + "\"enableIntegrityMonitoring\":true}" + (i % 5 == 4 ? "" : ",\"labels\":{\"team\":\"t"
                            + (i % 17) + "\"}") + "}", "us-central1-a");
            case SERVICE_ACCOUNT -> asset(b, "//iam.googleapis.com/projects/" + PROJECT + "/serviceAccounts/"
                    + uniqueId(i), SERVICE_ACCOUNT, "ServiceAccount", "//cloudresourcemanager.googleapis.com/projects/"
                    + NUMBER, "{\"name\":\"projects/" + PROJECT + "/serviceAccounts/" + email(i) + "\",\"projectId\":\""
                    + PROJECT + "\",\"uniqueId\":\"" + uniqueId(i) + "\",\"email\":\"" + email(i)
                    + "\",\"displayName\":\"bench " + i + "\",\"oauth2ClientId\":\"" + uniqueId(i) + "\"}", "global");
            case KEY -> asset(b, "//iam.googleapis.com/projects/" + PROJECT + "/serviceAccounts/" + uniqueId(i) + "/keys/"
                    + String.format("%032x", i), KEY, "ServiceAccountKey", "//iam.googleapis.com/projects/" + PROJECT
                    + "/serviceAccounts/" + uniqueId(i), "{\"name\":\"projects/" + PROJECT + "/serviceAccounts/"
                    + email(i) + "/keys/" + String.format("%032x", i) + "\",\"validAfterTime\":\""
                    + instant(i % 5 == 0 ? 400 : 30) + "\",\"validBeforeTime\":\"9999-12-31T23:59:59Z\","
                    + "\"keyAlgorithm\":\"KEY_ALG_RSA_2048\",\"keyOrigin\":\"GOOGLE_PROVIDED\","
                    + "\"keyType\":\"USER_MANAGED\"}", "global");
            case CRYPTO_KEY -> {
                String name = "projects/" + PROJECT + "/locations/us-central1/keyRings/bench/cryptoKeys/key-" + i;
                asset(b, "//cloudkms.googleapis.com/" + name, CRYPTO_KEY, "CryptoKey", "//cloudkms.googleapis.com/"
                        + "projects/" + PROJECT + "/locations/us-central1/keyRings/bench", "{\"name\":\"" + name
                        + "\",\"primary\":{\"name\":\"" + name + "/cryptoKeyVersions/1\",\"state\":\"ENABLED\","
                        + "\"protectionLevel\":\"SOFTWARE\",\"algorithm\":\"GOOGLE_SYMMETRIC_ENCRYPTION\"},"
                        + "\"purpose\":\"ENCRYPT_DECRYPT\",\"createTime\":\"" + days(100 + i % 900) + "\""
                        + (i % 4 == 0 ? "" : ",\"nextRotationTime\":\"" + instant(-30) + "\",\"rotationPeriod\":"
                        + "\"7776000s\"") + ",\"versionTemplate\":{\"protectionLevel\":\"SOFTWARE\",\"algorithm\":"
                        + "\"GOOGLE_SYMMETRIC_ENCRYPTION\"}}", "us-central1");
            }
            default -> b.append("{\"name\":\"//bench/").append(i).append("\",\"assetType\":\"").append(type)
                    .append("\"}");
        }
    }

    private void asset(StringBuilder b, String name, String type, String discovery, String parent, String data,
            String location) {
        b.append("{\"name\":\"").append(name).append("\",\"assetType\":\"").append(type)
                .append("\",\"resource\":{\"version\":\"v1\",\"discoveryName\":\"").append(discovery)
                .append("\",\"parent\":\"").append(parent).append("\",\"data\":").append(data).append(",\"location\":\"")
                .append(location).append("\"},\"ancestors\":[\"projects/").append(NUMBER).append("\"],\"updateTime\":\"")
                .append(now).append("\"}");
    }

    static String bucket(int i) {
        return String.format("bench-gcs-%06d", i);
    }

    private static String email(int i) {
        return String.format("sa-%06d@%s.iam.gserviceaccount.com", i, PROJECT);
    }

    private static String uniqueId(int i) {
        return "1048573920184" + String.format("%08d", i);
    }

    private String days(int d) {
        return now.minus(Duration.ofDays(d)).toString().replace("Z", ".000Z");
    }

    private String instant(int d) {
        return now.minus(Duration.ofDays(d)).toString();
    }
}
