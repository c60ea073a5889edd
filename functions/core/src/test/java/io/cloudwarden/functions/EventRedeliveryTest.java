package io.cloudwarden.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.testkit.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Every delivery path is at-least-once: a delivery that failed half-way must be redone when redelivered. */
class EventRedeliveryTest {
    private final CoreFixture fx = new CoreFixture();

    @Test
    void aDeliveryThatFailedBeforeItsRequestWasQueuedIsProcessedAgainWhenRedelivered() throws Exception {
        fx.provider.put(Resources.awsBucket("site", true));
        AtomicBoolean queueDown = new AtomicBoolean(true);
        List<RemediationRequest> queued = new ArrayList<>();
        RemediationSink sink = r -> {
            if (queueDown.get()) {
                throw new ProviderException(Cloud.AWS, "sqs:SendMessage", "ServiceUnavailable", true, "queue down");
            }
            queued.add(r);
        };
        JsonNode event = ModelJson.mapper().readTree(
                "{\"kind\":\"change\",\"eventId\":\"e-7\",\"bucket\":\"site\",\"actor\":\"mallory\"}");
        try (Cloudwarden cw = fx.runtime(Map.of())) {
            EventHandler handler = new EventHandler(cw, sink);

            assertThatThrownBy(() -> handler.handle(Cloud.AWS, event)).isInstanceOf(RemediationDispatchException.class)
                    .hasMessageContaining("queue down");
            assertThat(cw.repository().latestSnapshot()).isPresent();
            queueDown.set(false);
            EventOutcome redelivered = handler.handle(Cloud.AWS, event);

            assertThat(redelivered.duplicates()).isEmpty();
            assertThat(queued).singleElement().satisfies(r -> assertThat(r.trigger()).isEqualTo("e-7"));
            // once done, the next redelivery is a duplicate
            assertThat(handler.handle(Cloud.AWS, event).duplicates()).containsExactly("e-7");
            assertThat(queued).hasSize(1);
        }
    }
}
