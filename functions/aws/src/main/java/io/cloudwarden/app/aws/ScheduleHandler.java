package io.cloudwarden.app.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cloudwarden.functions.Outcomes;
import io.cloudwarden.functions.ScheduledScans;
import io.cloudwarden.model.Cloud;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code quarkus.lambda.handler=schedule}: a full AWS scan per schedule tick (EventBridge rule or EventBridge
 * Scheduler), at most once per (job, scheduled time), through the core's one scheduled-scan entry point: with
 * {@code cloudwarden.fanout=true} it only plans and queues one SQS message per shard. Returns
 * {@link Outcomes#schedule}; a duplicated tick returns {@code "duplicate": true} and scans nothing. A malformed payload fails the invocation with a message naming the
 * field.
 */
@EmitsMetrics
@TracesInvocation
@Named("schedule")
public class ScheduleHandler implements RequestStreamHandler {
    private static final Logger LOG = Logger.getLogger(ScheduleHandler.class);

    @Inject
    AwsFunctions app;

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (var log = LambdaLog.of(context)) {
            ScheduledScans.Tick tick = ScheduleTicks.parse(LambdaJson.read(input, "payload"));
            ScheduledScans.Run run = app.functions().schedules().run(tick, List.of(Cloud.AWS));
            if (run.duplicate()) {
                LOG.infof("schedule %s: slot already run, nothing scanned", tick.key());
            }
            LambdaJson.write(output, Outcomes.schedule(run));
        }
    }
}
