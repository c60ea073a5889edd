package io.cloudwarden.engine.spi.patch;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.InstancePatch;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the three clouds' {@code compute.instance/install-patches} remediators share, so the action plans and verifies
 * the same way everywhere; only the call to the cloud's patch service (and its own health signal) differs.
 *
 * <p><b>Plan.</b> Planned only for an instance whose {@code patch} was read, that reports to its patch service
 * ({@code managed}), is {@code running}, and misses at least one critical or security patch ({@code missingCritical
 * > 0} or {@code missingSecurity > 0}). Not read, unmanaged (the service cannot reach it), stopped, or nothing known to
 * be missing (counts {@code 0} or {@code null}): no plan, the action is a no-op.
 *
 * <p><b>Verified</b> means, on the instance re-read after the install (its {@code patch} re-read from the cloud's patch
 * service, never taken from the plan), all of:
 * <ol>
 *   <li>{@code patch} was read and the instance is still {@code managed};</li>
 *   <li>{@code missingCritical == 0} and {@code missingSecurity == 0} (a count the service does not report, null, is
 *       not evidence of success and fails);</li>
 *   <li>the assessment is newer than the plan's: {@code lastAssessedAt} is set and later than the plan's
 *       {@code before.patch.lastAssessedAt} (zero missing from the old assessment would prove nothing);</li>
 *   <li>where the cloud reports installations ({@code lastInstalledAt} set before or after), {@code lastInstalledAt}
 *       is later than the plan's: an installation was recorded since;</li>
 *   <li>{@code rebootPending} is not true (installed but not yet effective is not patched);</li>
 *   <li>{@code state} is {@code running} (the instance came back from a reboot), and the cloud's own health signal
 *       agrees (each remediator adds it: AWS the SSM agent's {@code PingStatus}, Azure the VM's power state, GCP the
 *       instance status).</li>
 * </ol>
 *
 * <p><b>Waiting.</b> An install runs for minutes to an hour; {@code apply} follows it until it ends, polling every
 * {@value #POLL_SETTING} (ISO-8601 duration, default {@code PT30S}) for at most {@value #TIMEOUT_SETTING} (default
 * {@code PT50M}), provider settings. An install still running at the timeout fails the apply (the rollout halts);
 * applying again follows the same install instead of starting another (each remediator finds its run by the plan id
 * it put on it).
 */
public final class PatchInstalls {
    public static final String ACTION = "compute.instance/install-patches";
    public static final String DESCRIPTION = "Install the missing critical and security patches through the cloud's "
            + "patch service (reboot if required), then verify on a fresh patch assessment";
    public static final String POLL_SETTING = "patchPollInterval";
    public static final String TIMEOUT_SETTING = "patchInstallTimeout";
    static final String RUNNING = "running";

    private PatchInstalls() {
    }

    /** The plan (see the class comment), with the cloud's {@code params}; empty when there is nothing to install. */
    public static Optional<PlannedChange> plan(Resource current, ObjectNode params) {
        InstancePatch p = InstancePatch.of(current.attributes());
        if (p == null || !p.managed() || !RUNNING.equals(current.attributes().path(Attributes.ComputeInstance.STATE)
                .asText())) {
            return Optional.empty();
        }
        int critical = p.missingCritical() == null ? 0 : p.missingCritical();
        int security = p.missingSecurity() == null ? 0 : p.missingSecurity();
        if (critical == 0 && security == 0) {
            return Optional.empty();
        }
        ObjectNode before = JsonNodeFactory.instance.objectNode();
        before.set(Attributes.ComputeInstance.PATCH, current.attributes().get(Attributes.ComputeInstance.PATCH)
                .deepCopy());
        ObjectNode after = JsonNodeFactory.instance.objectNode();
        after.putObject(Attributes.ComputeInstance.PATCH).put(Attributes.ComputeInstance.Patch.MISSING_CRITICAL, 0)
                .put(Attributes.ComputeInstance.Patch.MISSING_SECURITY, 0);
        return Optional.of(new PlannedChange("Install " + critical + " critical and " + security
                + " security patches on " + (current.name() == null ? current.id() : current.name()), before, after,
                params));
    }

    /** Why the re-read instance does not verify the plan (the class comment's list); empty when it verifies. */
    public static List<String> failures(Resource reread, RemediationPlan plan) {
        List<String> out = new ArrayList<>();
        InstancePatch now = InstancePatch.of(reread.attributes());
        InstancePatch was = InstancePatch.of(plan.before());
        if (now == null) {
            out.add("patch state not read");
            return out;
        }
        if (!now.managed()) {
            out.add("no longer managed by the patch service");
            return out;
        }
        if (!Integer.valueOf(0).equals(now.missingCritical())) {
            out.add("missingCritical is " + now.missingCritical());
        }
        if (!Integer.valueOf(0).equals(now.missingSecurity())) {
            out.add("missingSecurity is " + now.missingSecurity());
        }
        Instant assessedBefore = was == null ? null : was.lastAssessedAt();
        if (!later(now.lastAssessedAt(), assessedBefore)) {
            out.add("no assessment since the plan (lastAssessedAt " + now.lastAssessedAt() + ")");
        }
        Instant installedBefore = was == null ? null : was.lastInstalledAt();
        if ((installedBefore != null || now.lastInstalledAt() != null)
                && !later(now.lastInstalledAt(), installedBefore)) {
            out.add("no installation since the plan (lastInstalledAt " + now.lastInstalledAt() + ")");
        }
        if (Boolean.TRUE.equals(now.rebootPending())) {
            out.add("reboot pending");
        }
        String state = reread.attributes().path(Attributes.ComputeInstance.STATE).asText();
        if (!RUNNING.equals(state)) {
            out.add("state is " + state);
        }
        return out;
    }

    /**
     * The label a remediator puts on the install it starts (the SSM command's comment, the GCP patch job's display
     * name; Azure's installPatches takes no label, so Azure looks for a user-started install since the plan) so that
     * applying again finds and follows it: {@code cloudwarden-<plan id>}, the plan id without the {@code -attempt-N}
     * suffix a resumed rollout adds (a retry must find the first attempt's run).
     */
    public static String runLabel(RemediationPlan plan) {
        return "cloudwarden-" + plan.id().replaceFirst("-attempt-\\d+$", "");
    }

    private static boolean later(Instant now, Instant before) {
        return now != null && (before == null || now.isAfter(before));
    }

    /** How long to wait for an install, and how often to look (provider settings, see the class comment). */
    public record Wait(Duration pollInterval, Duration timeout) {
        public static Wait of(ProviderConfig config) {
            return new Wait(duration(config, POLL_SETTING, Duration.ofSeconds(30)),
                    duration(config, TIMEOUT_SETTING, Duration.ofMinutes(50)));
        }

        /**
         * Calls {@code poll} until it returns a value, sleeping {@link #pollInterval} between calls; throws
         * {@link InstallTimeoutException} naming {@code what} once {@link #timeout} has passed.
         */
        public <T> T until(String what, Supplier<Optional<T>> poll) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Optional<T> v = poll.get();
                if (v.isPresent()) {
                    return v.get();
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new InstallTimeoutException(what + " still running after " + timeout
                            + "; applying again follows it (no second install is started)");
                }
                try {
                    Thread.sleep(pollInterval.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InstallTimeoutException(what + ": interrupted while waiting");
                }
            }
        }

        private static Duration duration(ProviderConfig config, String key, Duration dflt) {
            Optional<String> v = config.setting(key);
            if (v.isEmpty()) {
                return dflt;
            }
            try {
                Duration d = Duration.parse(v.get().trim());
                if (d.isNegative()) {
                    throw new DateTimeParseException("negative", v.get(), 0);
                }
                return d;
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("settings." + key
                        + ": expected a non-negative ISO-8601 duration (e.g. PT30S) but was '" + v.get() + "'");
            }
        }
    }

    /** An install that did not end within {@link Wait#timeout}: the apply fails and the rollout halts. */
    public static final class InstallTimeoutException extends RuntimeException {
        public InstallTimeoutException(String message) {
            super(message);
        }
    }

    /** The reason an install failed on the cloud's side (the command, operation or job did not succeed). */
    public static final class InstallFailedException extends RuntimeException {
        public InstallFailedException(String message) {
            super(message);
        }
    }
}
