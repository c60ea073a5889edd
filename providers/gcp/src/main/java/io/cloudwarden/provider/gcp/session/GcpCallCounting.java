package io.cloudwarden.provider.gcp.session;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.tracing.ApiTracer;
import com.google.api.gax.tracing.ApiTracerFactory;
import com.google.api.gax.tracing.BaseApiTracer;
import com.google.api.gax.tracing.SpanName;
import io.cloudwarden.engine.spi.concurrency.CallStatistics;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts one gax client's calls into the session's {@link CallStatistics} through gax's documented tracing hook (an
 * {@link ApiTracerFactory} on the client's stub settings): gax opens one tracer per logical call — each page of a
 * paged {@code ListAssets} is a call — and reports every attempt of it to that tracer, so a call is recorded once,
 * when it ends, with its retries (attempts after the first) and throttles (attempts answered
 * {@code RESOURCE_EXHAUSTED}, HTTP 429). The same counts as AWS's {@code AwsCallMetrics} and Azure's
 * {@code CallCounting}.
 */
final class GcpCallCounting implements ApiTracerFactory {
    private final String service;
    private final CallStatistics statistics;

    GcpCallCounting(String service, CallStatistics statistics) {
        this.service = service;
        this.statistics = statistics;
    }

    @Override
    public ApiTracer newTracer(ApiTracer parent, SpanName spanName, OperationType operationType) {
        return new Call();
    }

    private final class Call extends BaseApiTracer {
        private final AtomicBoolean recorded = new AtomicBoolean();
        // Both attemptStarted variants and every failure callback may report the same attempt: keep what is
        // idempotent (the highest attempt number, the set of throttled attempt numbers).
        private volatile int lastAttempt;
        private final BitSet throttled = new BitSet();

        @Override
        public void attemptStarted(int attemptNumber) {
            lastAttempt = Math.max(lastAttempt, attemptNumber);
        }

        @Override
        public void attemptStarted(Object request, int attemptNumber) {
            attemptStarted(attemptNumber);
        }

        @Override
        @SuppressWarnings("deprecation")
        public void attemptFailed(Throwable error, org.threeten.bp.Duration delay) {
            failed(error);
        }

        @Override
        public void attemptFailedDuration(Throwable error, java.time.Duration delay) {
            failed(error);
        }

        @Override
        public void attemptFailedRetriesExhausted(Throwable error) {
            failed(error);
        }

        @Override
        public void attemptPermanentFailure(Throwable error) {
            failed(error);
        }

        @Override
        public void operationSucceeded() {
            record();
        }

        @Override
        public void operationCancelled() {
            record();
        }

        @Override
        public void operationFailed(Throwable error) {
            record();
        }

        private void failed(Throwable error) {
            if (error instanceof ApiException e
                    && e.getStatusCode().getCode() == StatusCode.Code.RESOURCE_EXHAUSTED) {
                synchronized (throttled) {
                    throttled.set(lastAttempt);
                }
            }
        }

        private void record() {
            if (recorded.compareAndSet(false, true)) {
                int throttles;
                synchronized (throttled) {
                    throttles = throttled.cardinality();
                }
                statistics.record(service, lastAttempt, throttles);
            }
        }
    }
}
