package io.cloudwarden.app.aws;

import com.amazonaws.services.lambda.runtime.Context;
import io.cloudwarden.functions.logging.LogContext;

/** The log context of one Lambda invocation: {@code requestId} = {@code Context.getAwsRequestId()}. */
final class LambdaLog {
    private LambdaLog() {
    }

    static LogContext of(Context context) {
        return LogContext.invocation("aws", context == null ? null : context.getAwsRequestId());
    }
}
