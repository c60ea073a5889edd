package io.cloudwarden.provider.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/** GCP labels (a string map in REST JSON and Terraform state alike) → model tags. */
public final class Labels {
    private Labels() {
    }

    public static Map<String, String> of(JsonNode labels) {
        Map<String, String> tags = new TreeMap<>();
        labels.fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        return tags;
    }
}
