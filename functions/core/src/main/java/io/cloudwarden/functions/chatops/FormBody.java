package io.cloudwarden.functions.chatops;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** An {@code application/x-www-form-urlencoded} body, parsed strictly (first value of a repeated field wins). */
public record FormBody(Map<String, String> fields) {
    public FormBody {
        fields = Map.copyOf(fields);
    }

    /** @throws IllegalArgumentException naming the malformed part (bad percent-escape, not UTF-8) */
    public static FormBody parse(byte[] body) {
        String text = decodeUtf8(body);
        Map<String, String> out = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return new FormBody(out);
        }
        int index = 0;
        for (String pair : text.split("&", -1)) {
            index++;
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("body: form field " + index + " is not valid URL encoding");
            }
        }
        return new FormBody(out);
    }

    private static String decodeUtf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("body: expected UTF-8 form data");
        }
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    /** A field that must be present and non-blank. */
    public String require(String name) {
        String v = fields.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + ": missing (expected a Slack " + name + ")");
        }
        return v;
    }
}
