package io.cloudwarden.engine.spi.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cloudwarden.model.ApiCalls;
import io.cloudwarden.model.Cloud;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallStatisticsTest {
    @Test
    void countsCallsRetriesAndThrottlesPerServiceAndTheDifferenceOverAScan() {
        CallStatistics s = new CallStatistics(Cloud.AWS);
        s.record("s3", 0, 0);
        List<ApiCalls> before = s.totals();
        s.record("s3", 2, 1);
        s.record("iam", 0, 0);
        assertEquals(List.of(new ApiCalls(Cloud.AWS, "iam", 1, 0, 0), new ApiCalls(Cloud.AWS, "s3", 2, 2, 1)),
                s.totals());
        assertEquals(List.of(new ApiCalls(Cloud.AWS, "iam", 1, 0, 0), new ApiCalls(Cloud.AWS, "s3", 1, 2, 1)),
                CallStatistics.since(before, s.totals()));
    }
}
