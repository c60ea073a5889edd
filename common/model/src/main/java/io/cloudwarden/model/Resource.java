package io.cloudwarden.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One normalized resource, exactly the JSON of the public model (see docs/MODEL.md). Immutable: JSON trees are
 * deep-copied on the way in (as {@link CompactTrees}, which hold them in about a third of the memory) and must be
 * treated as read-only on the way out.
 */
@JsonPropertyOrder({"cloud", "account", "region", "type", "id", "name", "nativeType", "tags", "attributes", "raw",
        "observedAt"})
public record Resource(
        Cloud cloud,
        String account,
        String region,
        String type,
        String id,
        String name,
        String nativeType,
        Map<String, String> tags,
        ObjectNode attributes,
        JsonNode raw,
        Instant observedAt) {

    public Resource {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        account = account == null ? "" : account;
        region = region == null ? "" : region;
        name = name == null ? "" : name;
        nativeType = nativeType == null ? "" : nativeType;
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tags));
        // compact copies (CompactTrees): a scan holds every resource's trees, raw ~13 objects a bucket
        attributes = attributes == null ? JsonNodeFactory.instance.objectNode() : CompactTrees.copy(attributes);
        raw = raw == null ? JsonNodeFactory.instance.objectNode() : CompactTrees.copy(raw);
        observedAt = observedAt == null ? Instant.EPOCH : observedAt;
    }

    @JsonIgnore
    public ResourceRef ref() {
        return new ResourceRef(cloud, account, region, type, id);
    }

    /** Key used to match resources across snapshots and baselines. */
    @JsonIgnore
    public String matchKey() {
        return ResourceRef.matchKey(cloud, type, id);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().cloud(cloud).account(account).region(region).type(type).id(id).name(name)
                .nativeType(nativeType).tags(tags).attributes(attributes).raw(raw).observedAt(observedAt);
    }

    /** Builder in the style of the AWS SDK v2 models. */
    public static final class Builder {
        private Cloud cloud;
        private String account;
        private String region;
        private String type;
        private String id;
        private String name;
        private String nativeType;
        private Map<String, String> tags = new TreeMap<>();
        private ObjectNode attributes;
        private JsonNode raw;
        private Instant observedAt;

        public Builder cloud(Cloud v) { this.cloud = v; return this; }
        public Builder account(String v) { this.account = v; return this; }
        public Builder region(String v) { this.region = v; return this; }
        public Builder type(String v) { this.type = v; return this; }
        public Builder id(String v) { this.id = v; return this; }
        public Builder name(String v) { this.name = v; return this; }
        public Builder nativeType(String v) { this.nativeType = v; return this; }
        public Builder tags(Map<String, String> v) { this.tags = new TreeMap<>(v == null ? Map.of() : v); return this; }
        public Builder tag(String k, String v) { this.tags.put(k, v); return this; }
        public Builder attributes(ObjectNode v) { this.attributes = v; return this; }
        public Builder raw(JsonNode v) { this.raw = v; return this; }
        public Builder observedAt(Instant v) { this.observedAt = v; return this; }
        public Builder ref(ResourceRef ref) {
            return cloud(ref.cloud()).account(ref.account()).region(ref.region()).type(ref.type()).id(ref.id());
        }

        public Resource build() {
            return new Resource(cloud, account, region, type, id, name, nativeType, tags, attributes, raw, observedAt);
        }
    }
}
