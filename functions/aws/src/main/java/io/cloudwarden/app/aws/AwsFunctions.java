package io.cloudwarden.app.aws;

import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.ScheduledScans;
import java.util.Optional;

/**
 * What the handlers call: the core's use cases over this instance's runtime, the timer use case, and — when
 * remediation requests go to SQS — the sender (closed with the instance).
 */
public record AwsFunctions(Functions functions, ScheduledScans schedules, Optional<SqsRemediationSink> sink) {
}
