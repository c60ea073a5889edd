package io.cloudwarden.app.aws;

import io.cloudwarden.functions.Functions;
import java.util.Optional;

/**
 * What the handlers call: the core's use cases over this instance's runtime and — when remediation requests and
 * fanned-out shards go to SQS — the sender (closed with the instance).
 */
public record AwsFunctions(Functions functions, Optional<SqsRemediationSink> sink) {
}
