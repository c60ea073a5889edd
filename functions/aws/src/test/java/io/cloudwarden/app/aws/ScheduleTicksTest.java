package io.cloudwarden.app.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.functions.ScheduledScans;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleTicksTest {
    @Test
    void schedulerRetriesOfOneSlotAreTheSameTickWhateverTheirExecutionId() {
        ScheduledScans.Tick first = ScheduleTicks.parse(Lambda.json(Recorded.envelope("scheduler-input.json")));
        ScheduledScans.Tick retry = ScheduleTicks.parse(Lambda.json(Recorded.envelope("scheduler-input-retry.json")));

        assertThat(first.key()).isEqualTo("schedule:cloudwarden-hourly-scan@2026-11-23T10:00:00Z")
                .isEqualTo(retry.key());
        assertThat(first.firedBy().id())
                .isEqualTo("arn:aws:scheduler:us-east-1:111122223333:schedule/cloudwarden/cloudwarden-hourly-scan");
        assertThat(first.firedBy().via()).isEqualTo("aws.scheduler");
    }

    @Test
    void ruleAndScheduleNamesComeFromTheirArns() {
        assertThat(ScheduleTicks.nameFromArn("arn:aws:events:us-east-1:111122223333:rule/nightly")).contains("nightly");
        assertThat(ScheduleTicks.nameFromArn("arn:aws:events:us-east-1:111122223333:rule/custom-bus/nightly"))
                .contains("custom-bus/nightly");
        assertThat(ScheduleTicks.nameFromArn("arn:aws:scheduler:us-east-1:111122223333:schedule/default/hourly"))
                .contains("default/hourly");
        assertThat(ScheduleTicks.nameFromArn("not-an-arn")).isEmpty();
    }

    @Test
    void aScheduledEventWithoutResourcesIsNamedAfterItsSource() {
        var e = Lambda.json(Recorded.envelope("eventbridge-scheduled-event.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) e).putArray("resources");

        ScheduledScans.Tick tick = ScheduleTicks.parse(e);

        assertThat(tick.job()).isEqualTo("aws.events");
        assertThat(tick.slot()).isEqualTo("2026-11-23T02:00:00Z");
    }

    @Test
    void otherPayloadsAreRefusedNamingWhatWasExpected() {
        assertThatThrownBy(() -> ScheduleTicks.parse(Lambda.json(
                Recorded.envelope("cloudtrail-authorize-sg-ingress.json"))))
                .isInstanceOf(EventParseException.class)
                .hasMessageStartingWith("detail-type: expected an EventBridge \"Scheduled Event\"")
                .hasMessageContaining("but got detail-type 'AWS API Call via CloudTrail' from 'aws.ec2'");
        assertThatThrownBy(() -> ScheduleTicks.parse(Lambda.json("{\"job\":\"\",\"scheduledTime\":\"x\"}")))
                .isInstanceOf(EventParseException.class).hasMessage("job: expected a non-empty string");
        assertThatThrownBy(() -> ScheduleTicks.parse(Lambda.json("{\"job\":\"nightly\"}")))
                .isInstanceOf(EventParseException.class).hasMessage("scheduledTime: expected a non-empty string");
        assertThatThrownBy(() -> ScheduleTicks.parse(Lambda.json("[]")))
                .isInstanceOf(EventParseException.class).hasMessageStartingWith("payload: expected a JSON object");
    }
}
