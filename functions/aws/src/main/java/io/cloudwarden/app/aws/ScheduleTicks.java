package io.cloudwarden.app.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.functions.ScheduledScans;
import io.cloudwarden.model.Actor;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads the tick out of the three payloads an AWS schedule delivers:
 * <ul>
 * <li>the recommended EventBridge Scheduler input
 * {@code {"job","scheduleArn","scheduledTime","executionId","attempt"}} (Scheduler fills the placeholders);</li>
 * <li>an EventBridge rule's "Scheduled Event" ({@code source} {@code aws.events}, the rule ARN in
 * {@code resources}, the scheduled minute in {@code time});</li>
 * <li>Scheduler's default envelope ({@code source} {@code aws.scheduler}, the schedule ARN in {@code resources},
 * and {@code detail} as the <em>string</em> {@code "{}"}, which is ignored).</li>
 * </ul>
 * The job is the configured name, else the rule / schedule name from its ARN.
 */
final class ScheduleTicks {
    static final String SCHEDULED_EVENT = "Scheduled Event";

    private ScheduleTicks() {
    }

    static ScheduledScans.Tick parse(JsonNode input) {
        if (!input.isObject()) {
            throw new EventParseException("payload", "expected a JSON object (a Scheduled Event or the Scheduler"
                    + " input {\"job\",\"scheduledTime\",...}) but got " + input.getNodeType());
        }
        if (input.has("job")) {
            String job = text(input, "job");
            String arn = input.path("scheduleArn").asText("");
            return new ScheduledScans.Tick(job, time(input, "scheduledTime"),
                    new Actor("service", arn, job, "aws.scheduler"));
        }
        String type = input.path("detail-type").asText("");
        String source = input.path("source").asText("");
        if (!SCHEDULED_EVENT.equals(type) || !(source.equals("aws.events") || source.equals("aws.scheduler"))) {
            throw new EventParseException(type.isEmpty() ? "job" : "detail-type", "expected an EventBridge \""
                    + SCHEDULED_EVENT + "\" from aws.events or aws.scheduler, or the Scheduler input"
                    + " {\"job\",\"scheduleArn\",\"scheduledTime\",\"executionId\",\"attempt\"}, but got detail-type '"
                    + type + "' from '" + source + "'");
        }
        String arn = input.path("resources").path(0).asText("");
        String job = nameFromArn(arn).orElse(source);
        return new ScheduledScans.Tick(job, time(input, "time"), new Actor("service", arn, job, source));
    }

    /** {@code arn:aws:events:R:A:rule/nightly} → {@code nightly}; {@code ...:schedule/GROUP/NAME} → {@code GROUP/NAME}. */
    static java.util.Optional<String> nameFromArn(String arn) {
        int colon = arn.startsWith("arn:") ? nthIndexOf(arn, ':', 5) : -1;
        if (colon < 0) {
            return java.util.Optional.empty();
        }
        String resource = arn.substring(colon + 1);
        int slash = resource.indexOf('/');
        String name = slash >= 0 ? resource.substring(slash + 1) : resource;
        return name.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(name);
    }

    private static int nthIndexOf(String s, char c, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = s.indexOf(c, at + 1);
            if (at < 0) {
                return -1;
            }
        }
        return at;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new EventParseException(field, "expected a non-empty string");
        }
        return v.asText();
    }

    private static Instant time(JsonNode node, String field) {
        String v = text(node, field);
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new EventParseException(field, "expected an ISO-8601 UTC time such as 2026-11-23T10:00:00Z"
                    + (field.equals("scheduledTime") ? " (Scheduler's <aws.scheduler.scheduled-time>)" : "")
                    + " but was '" + v + "'");
        }
    }
}
