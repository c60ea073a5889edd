package io.cloudwarden.engine.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a re-read resource differs from what its plan said it would look like after the fix ({@code plan.after}):
 * the reason a verification failure gives, so the audit trail, the CLI and chat say what is still wrong (e.g.
 * {@code patch.missingCritical is 1, planned 0}) instead of only that something is. Only the planned fields are
 * compared, each object field down to its leaves; arrays and scalars are compared whole.
 */
public final class PlannedAfter {
    private PlannedAfter() {
    }

    /** One line per planned field the re-read attributes do not show: {@code <path> is <observed>, planned <value>}. */
    public static List<String> mismatches(JsonNode after, JsonNode observed) {
        List<String> out = new ArrayList<>();
        walk("", after, observed, out);
        return out;
    }

    private static void walk(String path, JsonNode planned, JsonNode observed, List<String> out) {
        if (planned != null && planned.isObject() && planned.size() > 0) {
            planned.fields().forEachRemaining(e -> walk(path.isEmpty() ? e.getKey() : path + "." + e.getKey(),
                    e.getValue(), observed == null || !observed.isObject() ? null : observed.get(e.getKey()), out));
            return;
        }
        JsonNode seen = observed == null || observed.isMissingNode() ? null : observed;
        boolean same = seen == null ? planned == null || planned.isNull()
                : planned != null && (planned.equals(seen) || planned.isNumber() && seen.isNumber()
                        && planned.decimalValue().compareTo(seen.decimalValue()) == 0);
        if (!same) {
            out.add(path + " is " + (seen == null ? "absent" : seen.toString()) + ", planned " + planned);
        }
    }
}
