package io.cloudwarden.functions;

/**
 * Where detection sends remediation requests: in process for the embedded default, a queue (SQS, Storage Queue,
 * Pub/Sub) in the clouds.
 */
@FunctionalInterface
public interface RemediationSink {
    void submit(RemediationRequest request);

    /**
     * Submits with the resource as detection just read it. An in-process consumer may use that read instead of
     * reading again when nothing is applied now (dry run, approval needed); a queue sink ignores it, since its
     * consumer runs later elsewhere and re-reads.
     */
    default void submit(RemediationRequest request, java.util.Optional<io.cloudwarden.model.Resource> observed) {
        submit(request);
    }
}
