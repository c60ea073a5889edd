package io.cloudwarden.engine.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.model.AuditRecord;
import java.util.Locale;

/**
 * Audit records as OCSF {@value #VERSION} <b>API Activity</b> events (class_uid 6003, category 6 Application
 * Activity), one per record, for a SIEM.
 *
 * <p>Why API Activity: every record is an actor (a chat user, a service, the scheduler) invoking one of
 * Cloudwarden's operations (scan, event, remediation plan/approve/apply, a chat command) on a subject with an outcome:
 * the shape of API Activity ({@code actor}, {@code api.operation}, {@code resources}, {@code status}). The IAM
 * classes (Authorize Session, Authentication) describe log-ons and session privileges, not the decisions and changes
 * recorded here, and Compliance Finding is what {@code check --format ocsf} already emits for findings.
 *
 * <p>Mapping: {@code activity_id} from the action's verb (plan/create → 1 Create; scan/event/verify/read and chat
 * commands → 2 Read; apply/approve/reject/update/remediate → 3 Update; delete → 4 Delete; else 99 Other with
 * {@code activity_name} = the action); {@code status_id} from the outcome (ok, complete, applied, approved, verified...
 * → 1 Success; failed, denied, rejected, error, expired, refused → 2 Failure; else 99 Other); {@code metadata.uid} =
 * the record's hash, {@code metadata.sequence} = its seq; the details, {@code prevHash} and {@code hash} under
 * {@code unmapped}, so a SIEM copy still carries the chain.
 */
public final class OcsfAuditEvents {
    public static final String VERSION = "1.3.0";
    static final int CLASS_UID = 6003;

    private OcsfAuditEvents() {
    }

    public static ObjectNode of(AuditRecord r) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        int activity = activityId(r.action());
        o.put("class_uid", CLASS_UID);
        o.put("class_name", "API Activity");
        o.put("category_uid", 6);
        o.put("category_name", "Application Activity");
        o.put("activity_id", activity);
        o.put("activity_name", switch (activity) {
            case 1 -> "Create";
            case 2 -> "Read";
            case 3 -> "Update";
            case 4 -> "Delete";
            default -> r.action();
        });
        o.put("type_uid", CLASS_UID * 100 + activity);
        o.put("time", r.time().toEpochMilli());
        o.put("severity_id", 1);
        o.put("severity", "Informational");
        int status = statusId(r.outcome());
        o.put("status_id", status);
        o.put("status", status == 1 ? "Success" : status == 2 ? "Failure" : "Other");
        o.put("status_detail", r.outcome());
        ObjectNode actor = o.putObject("actor");
        ObjectNode user = actor.putObject("user");
        user.put("uid", r.actor().id());
        user.put("name", r.actor().name());
        user.put("type", r.actor().kind());
        actor.put("app_name", "Cloudwarden");
        ObjectNode api = o.putObject("api");
        api.put("operation", r.action());
        api.putObject("service").put("name", "cloudwarden");
        o.putObject("src_endpoint").put("name", r.actor().via().isEmpty() ? "cloudwarden" : r.actor().via());
        if (!r.subject().isEmpty()) {
            o.putArray("resources").addObject().put("uid", r.subject());
        }
        ObjectNode metadata = o.putObject("metadata");
        metadata.put("version", VERSION);
        metadata.put("uid", r.hash());
        metadata.put("sequence", r.seq());
        metadata.put("log_name", "cloudwarden-audit");
        metadata.put("original_time", r.time().toString());
        ObjectNode product = metadata.putObject("product");
        product.put("name", "Cloudwarden");
        product.put("vendor_name", "Cloudwarden");
        ObjectNode unmapped = o.putObject("unmapped");
        unmapped.set("details", r.details());
        unmapped.put("prevHash", r.prevHash());
        unmapped.put("hash", r.hash());
        return o;
    }

    static int activityId(String action) {
        String a = action.toLowerCase(Locale.ROOT);
        String verb = a.substring(a.lastIndexOf('.') + 1);
        if (verb.contains("delete")) {
            return 4;
        }
        if (verb.equals("plan") || verb.contains("create")) {
            return 1;
        }
        if (verb.equals("apply") || verb.equals("approve") || verb.equals("reject") || verb.equals("deny")
                || verb.contains("update") || verb.contains("remediat")) {
            return 3;
        }
        if (verb.equals("scan") || verb.equals("event") || verb.equals("verify") || verb.contains("read")
                || a.startsWith("chatops.") || a.equals("drift") || a.equals("check")) {
            return 2;
        }
        return 99;
    }

    static int statusId(String outcome) {
        String o = outcome.toLowerCase(Locale.ROOT);
        for (String fail : new String[] {"fail", "denied", "reject", "error", "expired", "refused", "invalid"}) {
            if (o.contains(fail)) {
                return 2;
            }
        }
        for (String ok : new String[] {"ok", "complete", "applied", "approved", "verified", "planned", "success",
                "done", "accepted", "created"}) {
            if (o.startsWith(ok) || o.equals(ok)) {
                return 1;
            }
        }
        return 99;
    }
}
