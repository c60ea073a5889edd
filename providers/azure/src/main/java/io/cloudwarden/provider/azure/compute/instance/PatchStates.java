package io.cloudwarden.provider.azure.compute.instance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.InstancePatch;
import io.cloudwarden.model.InstancePatch.OsInfo;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.provider.azure.Json;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Patch state of virtual machines from Azure Update Manager, which stores its results in Resource Graph: per
 * subscription shard one paged query of {@code patchassessmentresources} (the latest assessment summary of every VM)
 * and one of {@code patchinstallationresources} (the installation runs of the last 30 days) — never one call per VM.
 * It wraps the VM collector ({@link #wrap}); what it read is kept on the VM JSON under
 * {@code cloudwarden.patch}: {@code {"read": true, "assessment": row | null, "lastInstalledAt": time | null}}, or
 * {@code {"read": false, "error": code}} when Resource Graph refused the patch tables (then {@code patch} is null).
 *
 * <p>Normalization: {@code availablePatchCountByClassification.critical} and {@code .security} are
 * {@code missingCritical} and {@code missingSecurity}; every other classification (updateRollup, featurePack,
 * servicePack, definition, tools, updates, other) is summed into {@code missingOther}. {@code lastAssessedAt} is the
 * assessment's {@code lastModifiedDateTime} when its {@code status} is {@code Succeeded} or
 * {@code CompletedWithWarnings} (a failed assessment leaves counts and time null); {@code rebootPending} is the
 * assessment's. {@code lastInstalledAt} is the latest {@code lastModifiedDateTime} of an installation that
 * {@code Succeeded} or {@code CompletedWithWarnings}. A VM without an assessment row is {@code managed: false} when
 * its {@code patchSettings.assessmentMode} is not {@code AutomaticByPlatform} (Update Manager neither assessed it in
 * its 7-day record nor is set to assess it), else managed with nothing known (never assessed: stale). {@code os}
 * comes from the VM itself: {@code storageProfile.osDisk.osType} (or the assessment's {@code osType}) and the
 * instance view's {@code osName} / {@code osVersion}.
 */
public final class PatchStates implements ResourceCollector {
    public static final List<String> PERMISSIONS = List.of("Microsoft.ResourceGraph/resources/read");
    static final String ASSESSMENTS = "patchassessmentresources"
            + " | where type =~ 'microsoft.compute/virtualmachines/patchassessmentresults'";
    static final String INSTALLATIONS = "patchinstallationresources"
            + " | where type =~ 'microsoft.compute/virtualmachines/patchinstallationresults'"
            + " | where properties.status in~ ('Succeeded', 'CompletedWithWarnings')";
    private static final String OPERATION = "Microsoft.ResourceGraph/resources/read";
    private static final Set<String> DONE = Set.of("succeeded", "completedwithwarnings");

    private final ResourceCollector vms;

    private PatchStates(ResourceCollector vms) {
        this.vms = vms;
    }

    /** The VM collector {@code vms}, its items carrying the patch state read in bulk per shard. */
    public static ResourceCollector wrap(ResourceCollector vms) {
        return new PatchStates(vms);
    }

    @Override
    public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
        Map<String, ObjectNode> states = read((AzureSession) session, shard.account(), "");
        vms.collect(session, shard, item -> sink.accept(attach(item, states)));
    }

    @Override
    public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
        return vms.fetch(session, ref).map(item -> attach(item,
                read((AzureSession) session, ref.account(), " | where id startswith '" + ref.id().replace("'", "")
                        + "/'")));
    }

    private static NativeItem attach(NativeItem item, Map<String, ObjectNode> states) {
        if (item.json() instanceof ObjectNode vm) {
            ObjectNode extra = vm.has("cloudwarden") && vm.get("cloudwarden").isObject()
                    ? (ObjectNode) vm.get("cloudwarden") : vm.putObject("cloudwarden");
            ObjectNode state = states.get(key(item.id()));
            if (state == null) {
                state = Json.nodes().objectNode();
                boolean read = !states.containsKey(UNREAD);
                state.put("read", read);
                if (read) {
                    state.putNull("assessment");
                    state.putNull("lastInstalledAt");
                } else {
                    state.set("error", states.get(UNREAD).get("error"));
                }
            }
            extra.set("patch", state);
        }
        return item;
    }

    private static final String UNREAD = "";

    /** Patch rows of a subscription (optionally narrowed by {@code filter}) by lower-case VM id. */
    static Map<String, ObjectNode> read(AzureSession session, String subscription, String filter) {
        Map<String, ObjectNode> out = new HashMap<>();
        try {
            session.arm().resourceGraph(subscription, ASSESSMENTS + filter, OPERATION, row -> vmOf(row, "/patchassessmentresults/")
                    .ifPresent(vm -> state(out, vm).set("assessment", row)));
            session.arm().resourceGraph(subscription, INSTALLATIONS + filter
                    + " | project id, properties.status, lastModifiedDateTime = properties.lastModifiedDateTime",
                    OPERATION, row -> vmOf(row, "/patchinstallationresults/").ifPresent(vm -> {
                        ObjectNode s = state(out, vm);
                        Instant t = time(row.path("lastModifiedDateTime"));
                        Instant before = time(s.path("lastInstalledAt"));
                        if (t != null && (before == null || t.isAfter(before))) {
                            s.put("lastInstalledAt", t.toString());
                        }
                    }));
        } catch (ProviderException e) {
            out.clear();
            ObjectNode n = Json.nodes().objectNode();
            n.put("read", false);
            n.put("error", e.nativeCode() == null ? "unknown" : e.nativeCode());
            out.put(UNREAD, n);
        }
        return out;
    }

    private static ObjectNode state(Map<String, ObjectNode> out, String vm) {
        return out.computeIfAbsent(vm, k -> {
            ObjectNode n = Json.nodes().objectNode();
            n.put("read", true);
            n.putNull("assessment");
            n.putNull("lastInstalledAt");
            return n;
        });
    }

    private static Optional<String> vmOf(JsonNode row, String marker) {
        String id = key(row.path("id").asText(""));
        int at = id.indexOf(marker);
        return at <= 0 ? Optional.empty() : Optional.of(id.substring(0, at));
    }

    private static String key(String armId) {
        return armId.toLowerCase(Locale.ROOT);
    }

    /** The {@code os} attribute of a VM JSON; null when neither the VM nor an assessment names its OS type. */
    public static JsonNode os(JsonNode vm) {
        JsonNode props = vm.path("properties");
        Optional<String> type = Json.text(props, "storageProfile.osDisk.osType")
                .or(() -> Json.text(vm.path("cloudwarden").path("patch").path("assessment"), "properties.osType"));
        Optional<String> name = Json.text(props, "extended.instanceView.osName")
                .or(() -> Json.text(props, "instanceView.osName"));
        Optional<String> version = Json.text(props, "extended.instanceView.osVersion")
                .or(() -> Json.text(props, "instanceView.osVersion"));
        if (type.isEmpty() && name.isEmpty() && version.isEmpty()) {
            return null;
        }
        return new OsInfo(OsInfo.familyOf(type.orElse(null)), name.orElse(null), version.orElse(null)).toJson();
    }

    /** The {@code patch} attribute of a VM JSON; null when Update Manager's tables were not read. */
    public static JsonNode patch(JsonNode vm) {
        JsonNode state = vm.path("cloudwarden").path("patch");
        if (!state.path("read").asBoolean(false)) {
            return null;
        }
        Instant installed = time(state.path("lastInstalledAt"));
        JsonNode a = state.path("assessment").path("properties");
        if (!a.isObject()) {
            if (!"AutomaticByPlatform".equalsIgnoreCase(assessmentMode(vm.path("properties")))) {
                return InstancePatch.unmanaged().toJson();
            }
            return new InstancePatch(true, null, null, null, null, installed, null).toJson();
        }
        Boolean reboot = a.path("rebootPending").isBoolean() ? a.get("rebootPending").asBoolean() : null;
        if (!DONE.contains(a.path("status").asText("").toLowerCase(Locale.ROOT))) {
            return new InstancePatch(true, null, null, null, null, installed, reboot).toJson();
        }
        JsonNode counts = a.path("availablePatchCountByClassification");
        Integer critical = count(counts, "critical");
        Integer security = count(counts, "security");
        Integer other = null;
        for (var it = counts.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getKey().equals("critical") && !e.getKey().equals("security") && e.getValue().canConvertToInt()) {
                other = (other == null ? 0 : other) + e.getValue().asInt();
            }
        }
        return new InstancePatch(true, critical, security, other, time(a.path("lastModifiedDateTime")), installed,
                reboot).toJson();
    }

    private static String assessmentMode(JsonNode props) {
        return Json.text(props, "osProfile.windowsConfiguration.patchSettings.assessmentMode")
                .or(() -> Json.text(props, "osProfile.linuxConfiguration.patchSettings.assessmentMode")).orElse("");
    }

    private static Integer count(JsonNode counts, String field) {
        JsonNode v = counts.get(field);
        return v == null || !v.canConvertToInt() ? null : v.asInt();
    }

    private static Instant time(JsonNode v) {
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            return null;
        }
        return java.time.OffsetDateTime.parse(v.asText()).toInstant();
    }
}
