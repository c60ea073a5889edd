package io.cloudwarden.provider.aws.storage.bucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.Normalized;
import io.cloudwarden.engine.spi.ResourceNormalizer;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.provider.aws.Json;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * S3 bucket (the collector's composite JSON: {@code Name}, {@code PublicAccessBlock}, {@code PolicyStatus},
 * {@code Policy}, {@code Acl}, {@code Encryption}, {@code Versioning}, {@code Logging}, {@code Tags}) →
 * {@code storage.bucket}.
 *
 * <p>{@code publicAccess}: a public policy (policy status {@code IsPublic}, else our reading of the document) not
 * neutralised by {@code RestrictPublicBuckets}, or an ACL grant of READ/FULL_CONTROL to AllUsers/AuthenticatedUsers
 * not neutralised by {@code IgnorePublicAcls}. {@code encryption.keyType}: SSE-S3 and SSE-KMS with the AWS-managed
 * {@code aws/s3} key (no key id) are {@code provider-managed}; SSE-KMS/DSSE-KMS with a key id is {@code customer-managed}.
 */
public final class BucketNormalizer implements ResourceNormalizer {
    static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    static final String AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

    @Override
    public Normalized normalize(NativeItem item) {
        JsonNode j = item.json();
        ObjectNode a = Json.F.objectNode();
        a.put(Attributes.StorageBucket.PUBLIC_ACCESS, publicAccess(j));
        a.set("encryption", encryption(j));
        a.put("versioning", "Enabled".equals(Json.text(j, "Versioning", "Status").orElse("")));
        Optional<JsonNode> policy = Json.text(j, "Policy").flatMap(BucketPolicies::parse);
        a.set(Attributes.StorageBucket.MIN_TLS_VERSION, Json.textOrNull(policy.flatMap(BucketPolicies::minTlsVersion)));
        JsonNode logging = Json.at(j, "Logging", "LoggingEnabled");
        a.put("logging", logging != null && !logging.isNull() && Json.text(logging, "TargetBucket").isPresent());
        return new Normalized(Json.text(j, "Name").orElse(""), tags(j), a);
    }

    static Map<String, String> tags(JsonNode j) {
        Map<String, String> tags = new TreeMap<>();
        for (JsonNode t : Json.array(j, "Tags")) {
            tags.put(t.path("Key").asText(), t.path("Value").asText());
        }
        return tags;
    }

    static boolean publicAccess(JsonNode j) {
        boolean ignoreAcls = Json.bool(j, "PublicAccessBlock", "IgnorePublicAcls");
        boolean restrict = Json.bool(j, "PublicAccessBlock", "RestrictPublicBuckets");
        boolean policyPublic;
        JsonNode status = Json.at(j, "PolicyStatus", "IsPublic");
        if (status != null && !status.isNull()) {
            policyPublic = status.asBoolean();
        } else {
            policyPublic = Json.text(j, "Policy").flatMap(BucketPolicies::parse)
                    .map(BucketPolicies::grantsEveryone).orElse(false);
        }
        boolean aclPublic = false;
        for (JsonNode g : Json.array(j, "Acl", "Grants")) {
            String uri = Json.text(g, "Grantee", "URI").orElse("");
            String perm = Json.text(g, "Permission").orElse("");
            if ((ALL_USERS.equals(uri) || AUTHENTICATED_USERS.equals(uri))
                    && (perm.equals("READ") || perm.equals("FULL_CONTROL"))) {
                aclPublic = true;
            }
        }
        return (policyPublic && !restrict) || (aclPublic && !ignoreAcls);
    }

    static ObjectNode encryption(JsonNode j) {
        ObjectNode e = Json.F.objectNode();
        JsonNode rule = null;
        for (JsonNode r : Json.array(j, "Encryption", "Rules")) {
            if (Json.at(r, "ApplyServerSideEncryptionByDefault") != null) {
                rule = r.path("ApplyServerSideEncryptionByDefault");
                break;
            }
        }
        if (rule == null) {
            e.put("enabled", false);
            e.putNull("keyType");
            return e;
        }
        String algorithm = Json.text(rule, "SSEAlgorithm").orElse("AES256");
        boolean customerKey = !algorithm.equals("AES256") && Json.text(rule, "KMSMasterKeyID")
                .filter(k -> !k.endsWith("alias/aws/s3")).isPresent();
        e.put("enabled", true);
        e.put("keyType", customerKey ? "customer-managed" : "provider-managed");
        return e;
    }
}
