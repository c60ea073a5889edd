package io.cloudwarden.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Log output that must be JSON lines: every non-empty line is parsed with Jackson as one JSON object, and a line that
 * is not one fails with its number and text.
 */
public final class JsonLogLines {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLogLines() {
    }

    public static List<JsonNode> parse(String text) {
        List<JsonNode> out = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\\R")) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("log line " + n + " is not JSON: " + line, e);
            }
            if (node == null || !node.isObject()) {
                throw new AssertionError("log line " + n + " is not a JSON object: " + line);
            }
            out.add(node);
        }
        return out;
    }

    public static List<JsonNode> read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
