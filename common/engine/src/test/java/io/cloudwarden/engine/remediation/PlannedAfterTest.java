package io.cloudwarden.engine.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.model.ModelJson;
import org.junit.jupiter.api.Test;

class PlannedAfterTest {
    private static JsonNode json(String s) throws Exception {
        return ModelJson.mapper().readTree(s);
    }

    @Test
    void namesEachPlannedFieldTheRereadDoesNotShow() throws Exception {
        JsonNode after = json("{\"patch\":{\"missingCritical\":0,\"missingSecurity\":0}}");
        JsonNode reread = json("{\"state\":\"running\",\"patch\":{\"managed\":true,\"missingCritical\":1,"
                + "\"missingSecurity\":0,\"missingOther\":3}}");

        assertThat(PlannedAfter.mismatches(after, reread)).containsExactly("patch.missingCritical is 1, planned 0");
    }

    @Test
    void nothingWhenTheRereadShowsThePlan() throws Exception {
        JsonNode after = json("{\"publicAccess\":false,\"encryption\":{\"enabled\":true},\"ports\":[]}");
        JsonNode reread = json("{\"publicAccess\":false,\"encryption\":{\"enabled\":true,\"keyType\":\"k\"},"
                + "\"ports\":[],\"name\":\"b\"}");

        assertThat(PlannedAfter.mismatches(after, reread)).isEmpty();
    }

    @Test
    void aFieldTheRereadLacksIsAbsentAndNumbersCompareByValue() throws Exception {
        JsonNode after = json("{\"rotationPeriodDays\":90.0,\"patch\":{\"missingCritical\":0}}");
        JsonNode reread = json("{\"rotationPeriodDays\":90,\"patch\":null}");

        assertThat(PlannedAfter.mismatches(after, reread)).containsExactly("patch.missingCritical is absent, planned 0");
    }
}
