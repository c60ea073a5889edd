package io.cloudwarden.functions;

/**
 * Where detection sends remediation requests: in process for the embedded default, a queue (SQS, Storage Queue,
 * Pub/Sub) in the clouds.
 */
@FunctionalInterface
public interface RemediationSink {
    void submit(RemediationRequest request);
}
