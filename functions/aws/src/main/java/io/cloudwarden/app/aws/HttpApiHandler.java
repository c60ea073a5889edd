package io.cloudwarden.app.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code quarkus.lambda.handler=http}: a Function URL or API Gateway HTTP API (payload 2.0) in front of the core's
 * HTTP gateway — {@code POST /scan}, {@code POST /events/aws}, {@code POST /chatops/slack},
 * {@code POST /chatops/teams}, {@code GET /q/health}. Always answers with an HTTP response: a payload that is not
 * a v2.0 request gets a 400 naming the field, never a failed invocation.
 */
@EmitsMetrics
@TracesInvocation
@Named("http")
public class HttpApiHandler implements RequestStreamHandler {
    @Inject
    AwsFunctions app;

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (var log = LambdaLog.of(context)) {
            HttpResponse response;
            try {
                HttpRequest request = HttpApiV2.request(LambdaJson.read(input, "payload"));
                response = app.functions().gateway().handle(request);
            } catch (EventParseException e) {
                response = HttpResponse.error(400, e.getMessage());
            }
            LambdaJson.write(output, HttpApiV2.response(response));
        }
    }
}
