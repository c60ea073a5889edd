package io.cloudwarden.engine.remediation.rollout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a rollout is cut into waves and when waves may start.
 *
 * @param waveFractions the size of every wave but the last, as a fraction of all resources, rounded up and at least
 *        one resource: the default {@code [0.05, 0.25]} is a canary (1 resource or 5 %), then 25 %, then the rest
 * @param pause the wait between a verified wave and the start of the next
 * @param windowTag the tag naming a resource's maintenance window
 * @param windows maintenance windows by name (the value of {@code windowTag}); a wave starts only when every one of
 *        its resources that names a window is inside it. A resource without the tag is not restricted; one naming
 *        an unknown window never starts (a typo must not mean "any time")
 */
public record RolloutSettings(List<Double> waveFractions, Duration pause, String windowTag,
        Map<String, MaintenanceWindow> windows) {
    public static final String WINDOW_TAG = "cloudwarden:maintenance-window";

    public RolloutSettings {
        waveFractions = waveFractions == null ? List.of(0.05, 0.25) : List.copyOf(waveFractions);
        for (Double f : waveFractions) {
            if (f == null || !(f > 0) || f >= 1) {
                throw new IllegalArgumentException("rollout.waves: expected fractions between 0 and 1 (exclusive)"
                        + " but was " + f);
            }
        }
        pause = pause == null ? Duration.ZERO : pause;
        if (pause.isNegative()) {
            throw new IllegalArgumentException("rollout.pause: expected a duration >= 0 but was " + pause);
        }
        windowTag = windowTag == null || windowTag.isBlank() ? WINDOW_TAG : windowTag;
        windows = windows == null ? Map.of() : Map.copyOf(windows);
    }

    public static RolloutSettings defaults() {
        return new RolloutSettings(null, null, null, null);
    }

    public RolloutSettings withPause(Duration value) {
        return new RolloutSettings(waveFractions, value, windowTag, windows);
    }

    public RolloutSettings withWindows(Map<String, MaintenanceWindow> value) {
        return new RolloutSettings(waveFractions, pause, windowTag, value);
    }

    /** Wave sizes for {@code n} resources: each fraction of n rounded up (at least 1), then the rest. */
    public List<Integer> sizes(int n) {
        java.util.ArrayList<Integer> out = new java.util.ArrayList<>();
        int left = n;
        for (double f : waveFractions) {
            if (left == 0) {
                break;
            }
            int size = Math.min(left, Math.max(1, (int) Math.ceil(f * n - 1e-9)));
            out.add(size);
            left -= size;
        }
        if (left > 0) {
            out.add(left);
        }
        return out;
    }
}
