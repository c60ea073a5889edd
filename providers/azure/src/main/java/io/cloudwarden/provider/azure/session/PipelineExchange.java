package io.cloudwarden.provider.azure.session;

import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.model.ModelJson;
import java.util.function.Function;

/**
 * One request through the Azure SDK's {@link HttpPipeline} (its retry and auth policies), shared by the ARM and the
 * Microsoft Graph clients: the status and body text, and the {@code {"error": {"code", "message"}}} body both APIs
 * answer errors with, and the response headers (the long-running operations' {@code Azure-AsyncOperation} and
 * {@code Location}). Callers turn these into their own exception types.
 */
public record PipelineExchange(int status, String text, com.azure.core.http.HttpHeaders headers) {
    /**
     * azure-core's context key that makes the HTTP client read the whole body before the response leaves the
     * pipeline. Without it the body is read here, after the RetryPolicy returned, so a connection dropped mid-body
     * ("Connection prematurely closed DURING response") failed the call after one attempt while a 500 was retried.
     * Read eagerly, the drop is an exception inside the pipeline and the RetryPolicy retries it.
     */
    static final Context EAGERLY_READ = new Context("azure-eagerly-read-response", true);

    /** Sends {@code request}; a transport failure becomes whatever {@code onTransportError} returns. */
    public static PipelineExchange send(HttpPipeline pipeline, HttpRequest request,
            Function<RuntimeException, RuntimeException> onTransportError) {
        try (HttpResponse response = pipeline.sendSync(request, EAGERLY_READ)) {
            String text = response.getBodyAsBinaryData() == null ? "" : response.getBodyAsBinaryData().toString();
            return new PipelineExchange(response.getStatusCode(), text, response.getHeaders());
        } catch (io.cloudwarden.engine.spi.ProviderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw onTransportError.apply(e);
        }
    }

    /**
     * The answer as JSON, read the same way by the ARM and Graph clients: {@code null} for a 404 when
     * {@code notFoundIsEmpty} and for an empty body; {@code failed} (given the {@link #error()} body) for any other
     * status of 400 or more; {@code malformed} (given what is wrong) for a body that is not JSON.
     */
    public JsonNode json(com.fasterxml.jackson.databind.ObjectMapper mapper, boolean notFoundIsEmpty,
            Function<ErrorBody, RuntimeException> failed, Function<String, RuntimeException> malformed) {
        if (status == 404 && notFoundIsEmpty) {
            return null;
        }
        if (status >= 400) {
            throw failed.apply(error());
        }
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw malformed.apply("response body is not valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    /** The error code (else the status) and message (else {@code HTTP <status>}) of an error answer. */
    public ErrorBody error() {
        String code = String.valueOf(status);
        String message = "HTTP " + status;
        try {
            JsonNode err = ModelJson.mapper().readTree(text == null || text.isBlank() ? "{}" : text).path("error");
            code = err.path("code").asText(code);
            message = err.path("message").asText(message);
        } catch (JsonProcessingException ignored) {
            // a non-JSON error body: keep the status as the code
        }
        return new ErrorBody(code, message, status == 408 || status == 429 || status >= 500);
    }

    /** An error answer's code, message, and whether retrying later may help. */
    public record ErrorBody(String code, String message, boolean retryable) {
    }
}
