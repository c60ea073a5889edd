package io.cloudwarden.provider.gcp.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpResponse;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Paged GETs of the Google REST APIs that have no REST-capable Java client here (OS Config, Cloud Monitoring),
 * through the session's authorized request factory ({@link GcpSession#iamHttp()}: the session credentials, retrying
 * 429 and 5xx with exponential back-off): each page's {@code field} array goes to the sink, {@code nextPageToken} is
 * followed until exhausted (a repeated token is a malformed answer, not an endless loop). Each page is one call in
 * the session's statistics, under the service the operation names ({@link GcpSession#execute}).
 */
public final class GcpRest {
    private GcpRest() {
    }

    /** {@code url} must carry its query already ({@code ?...}); {@code pageToken} is appended per page. */
    public static void list(GcpSession session, String url, String field, String operation, Consumer<JsonNode> sink) {
        String token = "";
        Set<String> seen = new HashSet<>();
        do {
            JsonNode page;
            try {
                HttpResponse r = session.execute(session.iamHttp().buildGetRequest(new GenericUrl(url
                        + (token.isEmpty() ? "" : "&pageToken=" + encode(token)))), service(operation));
                try (InputStream in = r.getContent()) {
                    page = ModelJson.mapper().readTree(in);
                } finally {
                    r.disconnect();
                }
            } catch (IOException | RuntimeException e) {
                throw GcpErrors.map(operation, e);
            }
            if (page == null || !page.isObject()) {
                throw new ProviderException(Cloud.GCP, operation, "MalformedResponse", false,
                        operation + ": expected a JSON object");
            }
            page.path(field).forEach(sink);
            token = page.path("nextPageToken").asText("");
            if (!token.isEmpty() && !seen.add(token)) {
                throw new ProviderException(Cloud.GCP, operation, "MalformedResponse", false,
                        operation + ": repeated nextPageToken");
            }
        } while (!token.isEmpty());
    }

    /** The service an operation names before its colon ({@code monitoring} of {@code monitoring:timeSeries.list(p)}). */
    public static String service(String operation) {
        int colon = operation.indexOf(':');
        return colon < 0 ? operation : operation.substring(0, colon);
    }

    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
