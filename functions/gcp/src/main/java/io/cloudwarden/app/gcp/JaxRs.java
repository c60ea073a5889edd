package io.cloudwarden.app.gcp;

import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** The envelope every route shares: a JAX-RS request in as the core's {@link HttpRequest}, its response out. */
final class JaxRs {
    private JaxRs() {
    }

    static HttpRequest request(String path, HttpHeaders headers, UriInfo uri, byte[] body) {
        return new HttpRequest("POST", path, headers.getRequestHeaders(), uri.getRequestUri().getRawQuery(), body);
    }

    static Response response(HttpResponse r) {
        Response.ResponseBuilder b = Response.status(r.status());
        r.headers().forEach((k, v) -> {
            if (k.equalsIgnoreCase("content-type")) {
                b.type(v);
            } else {
                b.header(k, v);
            }
        });
        return r.body().length == 0 ? b.build() : b.entity(r.body()).build();
    }
}
