package io.cloudwarden.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.state.FileSystemStateStore;
import io.cloudwarden.functions.CloudEventCodec;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.RemediationRequest;
import io.cloudwarden.functions.RemediationSink;
import io.cloudwarden.functions.fanout.FanOut;
import io.cloudwarden.functions.fanout.ScanRequest;
import io.cloudwarden.functions.fanout.ShardQueue;
import io.cloudwarden.model.Actor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.testkit.MutableClock;
import io.cloudwarden.testkit.ShardedEstate;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cloudwarden status} reads the fanned-out runs from the state and flags a run that was never merged. */
class StatusCommandTest {
    @TempDir
    Path state;

    @Test
    void aRunPastItsDeadlineWithoutAMergeIsOverdueAndExits3() {
        List<ScanRequest> queued = new ArrayList<>();
        class Queue implements RemediationSink, ShardQueue {
            @Override
            public void submit(RemediationRequest request) {
            }

            @Override
            public void enqueue(ScanRequest request) {
                queued.add(request);
            }
        }
        MutableClock clock = new MutableClock(Instant.now().minus(Duration.ofHours(1)));
        try (Cloudwarden cw = new Cloudwarden(CoreConfig.of(Map.of(FanOut.ENABLED, "true")),
                ProviderRegistry.of(List.of(ShardedEstate.of(Cloud.AWS, 1, 4))), new FileSystemStateStore(state),
                clock)) {
            FanOut fanOut = Functions.withSink(cw, new Queue()).fanOut();
            fanOut.plan(List.of(Cloud.AWS), Set.of(), "schedule:nightly@1", Actor.SYSTEM);
            fanOut.collect(CloudEventCodec.decodeScanRequest(CloudEventCodec.encode(queued.get(0))));
        }

        SandboxOptionsTest.Run run = SandboxOptionsTest.cli("status", "--state-dir", state.toString());

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(run.out()).contains("overdue", "1/4", "schedule:nightly@1");
        SandboxOptionsTest.Run json = SandboxOptionsTest.cli("status", "--format", "json", "--state-dir",
                state.toString());
        assertThat(json.out()).contains("\"state\": \"overdue\"", "\"overdue\": 1");
    }
}
