package io.cloudwarden.app.aws;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.model.ModelJson;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Invokes the Lambda selected by the test profile through Quarkus' mock Lambda event server: the payload is
 * posted as the event, the handler's result (or its error) is the HTTP response.
 */
final class Lambda {
    private Lambda() {
    }

    static Response invoke(String payload) {
        return given().contentType("application/json").body(payload).when().post();
    }

    /** Invokes and returns the handler's JSON result, failing the test when the invocation failed. */
    static JsonNode result(String payload) {
        Response r = invoke(payload);
        if (r.statusCode() != 200) {
            throw new AssertionError("invocation failed with HTTP " + r.statusCode() + ": " + r.asString());
        }
        return json(r.asString());
    }

    /** Invokes with {@code request} (headers such as {@code Lambda-Runtime-Aws-Request-Id}) and returns the result. */
    static JsonNode result(io.restassured.specification.RequestSpecification request, String payload) {
        Response r = request.contentType("application/json").body(payload).when().post();
        if (r.statusCode() != 200) {
            throw new AssertionError("invocation failed with HTTP " + r.statusCode() + ": " + r.asString());
        }
        return json(r.asString());
    }

    static JsonNode json(String text) {
        try {
            return ModelJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
