package io.cloudwarden.functions.http;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A cloud-neutral HTTP request as every binding (Lambda Function URL, Azure custom handler, Cloud Run, the local
 * server) hands it to the core. Header names are lower-cased; the body is the raw bytes as received (signatures are
 * verified over them).
 */
public record HttpRequest(String method, String path, Map<String, List<String>> headers, String rawQuery,
        byte[] body) {
    public HttpRequest {
        method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        path = path == null || path.isEmpty() ? "/" : path;
        Map<String, List<String>> h = new HashMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> h.merge(k.toLowerCase(Locale.ROOT), List.copyOf(v), (a, b) -> {
                List<String> all = new java.util.ArrayList<>(a);
                all.addAll(b);
                return List.copyOf(all);
            }));
        }
        headers = Map.copyOf(h);
        rawQuery = rawQuery == null ? "" : rawQuery;
        body = body == null ? new byte[0] : body;
    }

    public static HttpRequest of(String method, String path, Map<String, String> headers, byte[] body) {
        Map<String, List<String>> h = new HashMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> h.put(k, List.of(v)));
        }
        return new HttpRequest(method, path, h, "", body);
    }

    /** First value of a header (case-insensitive name). */
    public Optional<String> header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
