package io.cloudwarden.functions;

import io.cloudwarden.functions.fanout.FanOut;
import io.cloudwarden.functions.fanout.ShardQueue;
import io.cloudwarden.functions.http.HttpGateway;
import io.cloudwarden.functions.queue.BatchRunner;
import java.util.Optional;

/**
 * The use cases wired together over one runtime, as every binding (Lambda, Azure custom handler, Cloud Run, the
 * local server) uses them. {@code sink} is where detection sends remediation requests: the remediation service
 * itself in process, or a queue sender in the clouds. A sink that is also a {@link ShardQueue} (the clouds' work
 * queues) is where a fanned-out scheduled scan queues its shards ({@link FanOut}).
 */
public final class Functions {
    private final Cloudwarden cw;
    private final RemediationService remediation;
    private final Detector detector;
    private final EventHandler events;
    private final FanOut fanOut;
    private final ScheduledScans schedules;
    private final BatchRunner batch;
    private final HttpGateway gateway;

    private Functions(Cloudwarden cw, RemediationSink sink) {
        this.cw = cw;
        this.remediation = new RemediationService(cw);
        RemediationSink target = sink == null ? remediation : sink;
        this.detector = new Detector(cw, target);
        this.fanOut = new FanOut(cw, detector, sink instanceof ShardQueue q ? Optional.of(q) : Optional.empty());
        this.schedules = new ScheduledScans(cw, detector, fanOut);
        this.events = new EventHandler(cw, target, schedules);
        this.batch = new BatchRunner(remediation, detector, fanOut, cw::telemetry);
        this.gateway = new HttpGateway(cw, detector, events);
        var chat = io.cloudwarden.functions.chatops.ChatOpsRoutes.defaults(cw, detector, remediation)
                .registerOn(gateway);
        batch.onChatWork(chat.slack()::run);
    }

    /** Remediation requests handled in process (the embedded default). */
    public static Functions inProcess(Cloudwarden cw) {
        return new Functions(cw, null);
    }

    /** Remediation requests sent to {@code sink} (a cloud work queue). */
    public static Functions withSink(Cloudwarden cw, RemediationSink sink) {
        return new Functions(cw, sink);
    }

    public Cloudwarden runtime() {
        return cw;
    }

    public RemediationService remediation() {
        return remediation;
    }

    public Detector detector() {
        return detector;
    }

    public EventHandler events() {
        return events;
    }

    /** The scheduled-scan entry point every binding's timer calls. */
    public ScheduledScans schedules() {
        return schedules;
    }

    /** Fanned-out scans: plan, collect one shard, merge, status. */
    public FanOut fanOut() {
        return fanOut;
    }

    public BatchRunner batch() {
        return batch;
    }

    public HttpGateway gateway() {
        return gateway;
    }
}
