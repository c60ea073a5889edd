package io.cloudwarden.app.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.functions.queue.BatchResult;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code quarkus.lambda.handler=queue}: the SQS work-queue consumer. Returns the partial batch response
 * {@code {"batchItemFailures":[{"itemIdentifier": messageId}]}} naming exactly the records that failed, so SQS
 * redelivers (and finally dead-letters) only those; the event source mapping must enable
 * {@code ReportBatchItemFailures}. It never throws for a bad record: throwing would make SQS redeliver the whole
 * batch, including the records already handled.
 */
@EmitsMetrics
@TracesInvocation
@Named("queue")
public class QueueHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Logger LOG = Logger.getLogger(QueueHandler.class);

    @Inject
    AwsFunctions app;

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        try (var log = LambdaLog.of(context)) {
            if (event == null || event.getRecords() == null) {
                throw new EventParseException("Records", "expected an SQS event with a Records array");
            }
            BatchResult result = SqsBatch.run(app.functions(), event.getRecords());
            result.failures().forEach(f -> LOG.warnf("queue message %s failed and will be redelivered: %s",
                    f.itemId(), f.reason()));
            List<SQSBatchResponse.BatchItemFailure> failures = result.failedIds().stream()
                    .map(SQSBatchResponse.BatchItemFailure::new).toList();
            return new SQSBatchResponse(failures);
        }
    }
}
