package io.cloudwarden.engine.drift;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.TerraformInstance;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the managed resource instances of a Terraform state file, format version 4 (Terraform 0.12 and later):
 * {@code {"version": 4, "terraform_version", "resources": [{"mode", "type", "name", "module"?, "provider",
 * "instances": [{"index_key"?, "attributes"}]}]}}. Data sources ({@code mode: data}) are skipped: they are read,
 * not managed. Addresses are rebuilt the way Terraform prints them: {@code module.net.aws_security_group.web["a"]},
 * {@code aws_instance.app[0]}.
 */
public final class TerraformStateReader {
    public static final int SUPPORTED_VERSION = 4;

    public List<TerraformInstance> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BaselineException(file + ": cannot read Terraform state: " + e.getMessage(), e);
        }
        return read(bytes, file.toString());
    }

    public List<TerraformInstance> read(byte[] bytes, String source) {
        JsonNode root = parse(bytes, source);
        if (!root.isObject()) {
            throw new BaselineException(source + ": expected a Terraform state JSON object");
        }
        JsonNode version = root.get("version");
        if (version == null) {
            throw new BaselineException(source + ": /version: missing; expected Terraform state format version 4");
        }
        if (!version.isIntegralNumber() || version.asInt() != SUPPORTED_VERSION) {
            throw new BaselineException(source + ": /version: expected Terraform state format version 4 but was "
                    + version + " (re-save the state with Terraform 0.12 or later)");
        }
        JsonNode resources = root.path("resources");
        if (resources.isMissingNode() || resources.isNull()) {
            return List.of();
        }
        if (!resources.isArray()) {
            throw new BaselineException(source + ": /resources: expected an array but was " + resources.getNodeType());
        }
        List<TerraformInstance> out = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            JsonNode r = resources.get(i);
            String at = source + ": /resources/" + i;
            String mode = text(r, "mode", at);
            if (!"managed".equals(mode)) {
                continue;
            }
            String type = text(r, "type", at);
            String name = text(r, "name", at);
            String provider = providerSource(text(r, "provider", at), at);
            String module = r.path("module").isTextual() ? r.get("module").asText() : "";
            String base = (module.isEmpty() ? "" : module + ".") + type + "." + name;
            JsonNode instances = r.path("instances");
            if (!instances.isArray()) {
                throw new BaselineException(at + "/instances: expected an array but was " + instances.getNodeType());
            }
            for (int j = 0; j < instances.size(); j++) {
                JsonNode inst = instances.get(j);
                JsonNode attributes = inst.path("attributes");
                if (!attributes.isObject()) {
                    throw new BaselineException(at + "/instances/" + j + "/attributes: expected an object but was "
                            + attributes.getNodeType());
                }
                out.add(new TerraformInstance(base + indexSuffix(inst.get("index_key"), at + "/instances/" + j),
                        type, name, provider, attributes));
            }
        }
        return out;
    }

    /** {@code provider["registry.terraform.io/hashicorp/aws"].west} → {@code registry.terraform.io/hashicorp/aws}. */
    static String providerSource(String provider, String at) {
        int start = provider.indexOf("provider[\"");
        int end = start < 0 ? -1 : provider.indexOf("\"]", start);
        if (start < 0 || end < 0) {
            throw new BaselineException(at + "/provider: expected provider[\"<source>\"] but was '" + provider + "'");
        }
        return provider.substring(start + "provider[\"".length(), end);
    }

    private static String indexSuffix(JsonNode key, String at) {
        if (key == null || key.isNull()) {
            return "";
        }
        if (key.isTextual()) {
            return "[" + ModelJson.mapper().getNodeFactory().textNode(key.asText()) + "]";
        }
        if (key.isIntegralNumber()) {
            return "[" + key.asLong() + "]";
        }
        throw new BaselineException(at + "/index_key: expected a string or an integer but was " + key.getNodeType());
    }

    private static String text(JsonNode node, String field, String at) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new BaselineException(at + "/" + field + ": expected a non-empty string but was "
                    + (v == null ? "missing" : v.toString()));
        }
        return v.asText();
    }

    static JsonNode parse(byte[] bytes, String source) {
        try {
            JsonNode n = ModelJson.mapper().readTree(bytes);
            if (n == null || n.isMissingNode()) {
                throw new BaselineException(source + ": empty file; expected a Terraform state or a snapshot");
            }
            return n;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new BaselineException(source + ": malformed JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new BaselineException(source + ": cannot read: " + e.getMessage(), e);
        }
    }
}
