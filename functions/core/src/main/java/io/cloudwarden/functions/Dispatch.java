package io.cloudwarden.functions;

import io.cloudwarden.engine.remediation.PlanOutcome;
import java.util.ArrayList;
import java.util.List;

/** Sends a run's plans to the sink one by one, so one failure does not stop the others. */
final class Dispatch {
    private Dispatch() {
    }

    /** @throws RemediationDispatchException after trying all, when any failed */
    static void all(RemediationSink sink, List<PlanOutcome> outcomes, String trigger) {
        all(sink, outcomes, trigger, java.util.Map.of());
    }

    /**
     * As {@link #all(RemediationSink, List, String)}, passing each plan's resource as this run read it
     * ({@code observed}, by match key) so an in-process consumer need not read it again when nothing is applied.
     */
    static void all(RemediationSink sink, List<PlanOutcome> outcomes, String trigger,
            java.util.Map<String, io.cloudwarden.model.Resource> observed) {
        List<String> failures = new ArrayList<>();
        for (PlanOutcome o : outcomes) {
            o.plan().ifPresent(p -> {
                try {
                    sink.submit(new RemediationRequest(p, trigger),
                            java.util.Optional.ofNullable(observed.get(p.resource().matchKey())));
                } catch (RuntimeException e) {
                    failures.add(p.id() + " (" + p.action() + " on " + p.resource().id() + "): "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                }
            });
        }
        if (!failures.isEmpty()) {
            throw new RemediationDispatchException(failures);
        }
    }
}
