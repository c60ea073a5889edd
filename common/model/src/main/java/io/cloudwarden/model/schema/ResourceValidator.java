package io.cloudwarden.model.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import java.util.List;

/**
 * Checks a resource's {@code attributes} against its normalized type's schema. Provider contract tests run every
 * normalizer's output through it. Pointers in the returned violations start at the resource root
 * ({@code /attributes/publicAccess}).
 */
public final class ResourceValidator {
    private ResourceValidator() {
    }

    /** All violations of the resource's attributes; empty when valid. An unknown type is one violation at /type. */
    public static List<Violation> validate(Resource resource) {
        return validateAttributes(resource.type(), resource.attributes()).stream()
                .map(v -> v.pointer().equals("/type") ? v : v.under("/attributes"))
                .toList();
    }

    /**
     * Violations of an attributes object for {@code type}, pointers relative to the attributes object; an unknown
     * type yields a single violation with pointer {@code /type}.
     */
    public static List<Violation> validateAttributes(String type, JsonNode attributes) {
        if (!ResourceTypes.isKnown(type)) {
            return List.of(new Violation("/type", "enum",
                    "expected one of " + String.join(", ", ResourceTypes.ALL) + " but was '" + type + "'"));
        }
        return ModelSchemas.validate(ModelSchemas.typeSchemaId(type),
                attributes == null ? NullNode.getInstance() : attributes);
    }
}
