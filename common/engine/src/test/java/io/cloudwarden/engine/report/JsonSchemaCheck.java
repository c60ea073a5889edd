package io.cloudwarden.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Validates JSON against a JSON Schema (draft 2020-12) held in memory, returning one readable line per violation.
 * The only place the report tests touch the validator library's API.
 */
final class JsonSchemaCheck {
    private final Schema schema;

    JsonSchemaCheck(JsonNode schema) {
        this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(new ByteArrayInputStream(schema.toString().getBytes(StandardCharsets.UTF_8)),
                        InputFormat.JSON);
    }

    /** The violations of {@code instance}; empty when it is valid. */
    List<String> violations(JsonNode instance) {
        List<Error> errors = schema.validate(instance.toString(), InputFormat.JSON);
        return errors.stream().map(e -> e.getInstanceLocation() + " " + e.getKeyword() + ": " + e.getMessage())
                .toList();
    }
}
