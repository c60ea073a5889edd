package io.cloudwarden.provider.aws.storage.bucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Pure readings of an S3 bucket policy document, shared by the normalizer and the Terraform mapper so that both
 * derive {@code publicAccess}/{@code minTlsVersion} the same way.
 */
public final class BucketPolicies {
    private static final ObjectMapper M = new ObjectMapper();
    /** AWS API endpoints accept TLS 1.2 and later only (since 2024); a policy requiring HTTPS thus means 1.2. */
    static final String AWS_TLS_FLOOR = "1.2";

    private BucketPolicies() {
    }

    public static Optional<JsonNode> parse(String policy) {
        if (policy == null || policy.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(M.readTree(policy));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("bucket policy: expected a JSON policy document but it does not parse",
                    e);
        }
    }

    /**
     * Used only when the bucket policy status is unknown (a Terraform state): true when an Allow statement grants
     * to everyone ({@code "*"} or {@code {"AWS":"*"}}) without conditions other than transport ones. AWS's own
     * evaluation (GetBucketPolicyStatus) is authoritative when available.
     */
    public static boolean grantsEveryone(JsonNode policy) {
        for (JsonNode st : statements(policy)) {
            if (!"Allow".equals(st.path("Effect").asText())) {
                continue;
            }
            JsonNode p = st.path("Principal");
            boolean everyone = "*".equals(p.asText()) || "*".equals(p.path("AWS").asText())
                    || (p.path("AWS").isArray() && contains(p.path("AWS"), "*"));
            if (!everyone) {
                continue;
            }
            boolean restricted = false;
            Iterator<Map.Entry<String, JsonNode>> ops = st.path("Condition").fields();
            while (ops.hasNext()) {
                Iterator<String> keys = ops.next().getValue().fieldNames();
                while (keys.hasNext()) {
                    String k = keys.next().toLowerCase(java.util.Locale.ROOT);
                    if (!k.equals("aws:securetransport") && !k.equals("s3:tlsversion")) {
                        restricted = true;
                    }
                }
            }
            if (!restricted) {
                return true;
            }
        }
        return false;
    }

    /**
     * The minimum TLS version a policy enforces: the {@code s3:TlsVersion} bound of a Deny statement with
     * {@code NumericLessThan}, else {@value #AWS_TLS_FLOOR} when a Deny on {@code aws:SecureTransport = false} forces
     * HTTPS; empty when the policy does not restrict transport.
     */
    public static Optional<String> minTlsVersion(JsonNode policy) {
        Optional<String> best = Optional.empty();
        boolean secureTransport = false;
        for (JsonNode st : statements(policy)) {
            if (!"Deny".equals(st.path("Effect").asText())) {
                continue;
            }
            JsonNode cond = st.path("Condition");
            for (String op : new String[] {"NumericLessThan", "NumericLessThanIfExists"}) {
                JsonNode v = cond.path(op).path("s3:TlsVersion");
                if (!v.isMissingNode()) {
                    String tls = v.isArray() ? v.path(0).asText() : v.asText();
                    if (best.isEmpty() || new BigDecimal(tls).compareTo(new BigDecimal(best.get())) > 0) {
                        best = Optional.of(tls);
                    }
                }
            }
            JsonNode bool = cond.path("Bool").path("aws:SecureTransport");
            if ("false".equalsIgnoreCase(bool.isArray() ? bool.path(0).asText() : bool.asText())) {
                secureTransport = true;
            }
        }
        if (best.isEmpty() && secureTransport) {
            return Optional.of(AWS_TLS_FLOOR);
        }
        return best;
    }

    private static Iterable<JsonNode> statements(JsonNode policy) {
        JsonNode st = policy.path("Statement");
        if (st.isObject()) {
            return java.util.List.of(st);
        }
        return st.isArray() ? st : java.util.List.of();
    }

    private static boolean contains(JsonNode arr, String v) {
        for (JsonNode n : arr) {
            if (v.equals(n.asText())) {
                return true;
            }
        }
        return false;
    }
}
