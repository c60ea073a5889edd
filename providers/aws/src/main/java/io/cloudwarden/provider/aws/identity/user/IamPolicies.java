package io.cloudwarden.provider.aws.identity.user;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Pure readings of IAM policy documents. */
public final class IamPolicies {
    public static final String ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";
    private static final ObjectMapper M = new ObjectMapper();

    private IamPolicies() {
    }

    /** IAM returns policy documents URL-encoded (RFC 3986); Terraform states hold them plain. Accepts both. */
    public static JsonNode parse(String document) {
        String text = document.trim();
        if (!text.startsWith("{")) {
            text = URLDecoder.decode(text, StandardCharsets.UTF_8);
        }
        try {
            return M.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("IAM policy document: expected JSON but it does not parse", e);
        }
    }

    /** True when an Allow statement grants Action {@code *} on Resource {@code *} (full administrator). */
    public static boolean grantsFullAdmin(JsonNode policy) {
        JsonNode st = policy.path("Statement");
        Iterable<JsonNode> statements = st.isArray() ? st : java.util.List.of(st);
        for (JsonNode s : statements) {
            if ("Allow".equals(s.path("Effect").asText()) && has(s.path("Action"), "*")
                    && has(s.path("Resource"), "*") && s.path("Condition").isMissingNode()) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(JsonNode n, String v) {
        if (n.isArray()) {
            for (JsonNode x : n) {
                if (v.equals(x.asText())) {
                    return true;
                }
            }
            return false;
        }
        return v.equals(n.asText());
    }
}
