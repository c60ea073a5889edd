package io.cloudwarden.app.azure;

import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.queue.BatchResult;
import io.cloudwarden.functions.queue.WorkItem;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The {@code queue} function (queueTrigger on {@code %CLOUDWARDEN_AZURE_QUEUE%}): Data {@code message} is one work
 * item, already base64-decoded by the host — a Cloudwarden CloudEvent (remediation or scan request). It goes through
 * the core's batch runner as a batch of one.
 *
 * <p>A failing item answers 500: the host makes the message visible again, retries it up to
 * {@code maxDequeueCount} (host.json) times and then moves it to {@code <queue>-poison}. A message is never
 * acknowledged without having been handled.
 */
@Path("/queue")
public class QueueFunction {
    static final String BINDING = "message";

    @Inject
    Functions functions;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response invoke(byte[] body) {
        WorkItem item;
        try {
            Invocation inv = Invocation.parse(body);
            item = new WorkItem(inv.meta("Id").orElse(inv.sys("RandGuid").orElse("")), inv.bytes(BINDING),
                    inv.meta("DequeueCount").map(QueueFunction::count).orElse(1));
        } catch (InvalidInvocationException e) {
            return InvocationResult.failed(400, List.of(e.getMessage()));
        }
        BatchResult result = functions.batch().run(List.of(item));
        if (!result.failures().isEmpty()) {
            return InvocationResult.failed(500, result.failures().stream()
                    .map(f -> "message " + f.itemId() + " (delivery " + item.deliveryCount() + ") failed: "
                            + f.reason())
                    .toList());
        }
        return InvocationResult.ok(List.of("message " + item.id() + " handled"), null);
    }

    private static int count(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new InvalidInvocationException("Metadata.DequeueCount: expected a whole number but was '" + s
                    + "'");
        }
    }
}
