package io.cloudwarden.app.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cloudwarden.functions.EventOutcome;
import io.cloudwarden.functions.Outcomes;
import io.cloudwarden.model.Cloud;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code quarkus.lambda.handler=events}: an EventBridge event (CloudTrail "AWS API Call via CloudTrail", Config
 * "Configuration Item Change") → the core's event path: re-collect only the resources it names, evaluate, record
 * drift with the actor, route remediation requests. A second delivery of the same event is reported in
 * {@code duplicates} and acts on nothing. A malformed envelope or an AWS failure fails the invocation, so
 * EventBridge's retry policy and dead-letter queue apply.
 */
@EmitsMetrics
@TracesInvocation
@Named("events")
public class EventsHandler implements RequestStreamHandler {
    @Inject
    AwsFunctions app;

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (var log = LambdaLog.of(context)) {
            EventOutcome outcome = app.functions().events().handle(Cloud.AWS, LambdaJson.read(input, "envelope"));
            LambdaJson.write(output, Outcomes.event(outcome));
        }
    }
}
