package io.cloudwarden.functions.http;

/** One HTTP route of the core. Must never throw for bad input: answer 4xx instead. */
@FunctionalInterface
public interface HttpHandler {
    HttpResponse handle(HttpRequest request);
}
