package io.cloudwarden.provider.aws.compute.instance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.model.InstancePatch;
import io.cloudwarden.model.InstancePatch.OsInfo;
import io.cloudwarden.provider.aws.Json;
import io.cloudwarden.provider.aws.SdkJson;
import io.cloudwarden.provider.aws.session.AwsCalls;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InstanceInformationStringFilter;
import software.amazon.awssdk.services.ssm.model.InstancePatchState;

/**
 * Patch state of EC2 instances from AWS Systems Manager, read in batches: for every {@value #BATCH} instance ids one
 * {@code DescribeInstanceInformation} (filter {@code InstanceIds}) and one {@code DescribeInstancePatchStates} (both
 * through the SDK's paginators), never one call per instance. The result is kept on the instance JSON under
 * {@value #KEY}: {@code {"Read": true, "InstanceInformation": {...} | null, "PatchState": {...} | null}}, or
 * {@code {"Read": false, "Error": code}} when SSM could not be read (then {@code os} and {@code patch} are null: not
 * read is never reported as unmanaged).
 *
 * <p>Normalization: an instance SSM does not list in {@code DescribeInstanceInformation} is not a managed node
 * ({@code patch.managed: false}). A managed node's {@code CriticalNonCompliantCount}, {@code
 * SecurityNonCompliantCount} and {@code OtherNonCompliantCount} are {@code missingCritical}, {@code
 * missingSecurity}, {@code missingOther}; {@code OperationEndTime} of its last {@code Scan} or {@code Install} is
 * {@code lastAssessedAt} (both assess against the baseline); {@code lastInstalledAt} is that time when the last
 * operation was an {@code Install}, else {@code LastNoRebootInstallOperationTime}; {@code rebootPending} is
 * {@code InstalledPendingRebootCount > 0}. A managed node without patch state (never scanned) has every count and
 * time null. {@code os} comes from {@code PlatformType}/{@code PlatformName}/{@code PlatformVersion}; for an
 * unmanaged instance only the family, from EC2's {@code PlatformDetails}.
 */
public final class PatchStates {
    public static final List<String> PERMISSIONS = List.of("ssm:DescribeInstanceInformation",
            "ssm:DescribeInstancePatchStates");
    /** The SSM key under which the instance JSON carries what SSM said. */
    public static final String KEY = "Ssm";
    /** At most 50 ids per InstanceIds filter / DescribeInstancePatchStates request (the API's limit). */
    static final int BATCH = 50;

    private PatchStates() {
    }

    /** Reads the SSM state of {@code instanceIds} (in batches) and returns the {@value #KEY} node of each. */
    public static Map<String, ObjectNode> read(AwsSession session, String account, String region,
            List<String> instanceIds) {
        Map<String, ObjectNode> out = new HashMap<>();
        if (instanceIds.isEmpty()) {
            return out;
        }
        try {
            SsmClient ssm = session.ssm(account, region);
            for (int from = 0; from < instanceIds.size(); from += BATCH) {
                List<String> batch = instanceIds.subList(from, Math.min(instanceIds.size(), from + BATCH));
                Map<String, InstanceInformation> info = new HashMap<>();
                AwsCalls.run("ssm:DescribeInstanceInformation", () -> ssm.describeInstanceInformationPaginator(r -> r
                        .filters(InstanceInformationStringFilter.builder().key("InstanceIds").values(batch).build())
                        .maxResults(BATCH)).instanceInformationList().forEach(i -> info.put(i.instanceId(), i)));
                Map<String, InstancePatchState> states = new HashMap<>();
                List<String> managed = batch.stream().filter(info::containsKey).toList();
                if (!managed.isEmpty()) {
                    AwsCalls.run("ssm:DescribeInstancePatchStates", () -> ssm.describeInstancePatchStatesPaginator(
                            r -> r.instanceIds(managed).maxResults(BATCH)).instancePatchStates()
                            .forEach(s -> states.put(s.instanceId(), s)));
                }
                for (String id : batch) {
                    ObjectNode n = JsonNodeFactory.instance.objectNode();
                    n.put("Read", true);
                    n.set("InstanceInformation", info.containsKey(id) ? SdkJson.toJson(info.get(id)) : null);
                    n.set("PatchState", states.containsKey(id) ? SdkJson.toJson(states.get(id)) : null);
                    out.put(id, n);
                }
            }
        } catch (ProviderException e) {
            // SSM unreadable (no permission, not offered in the region): patch state is "not read" for this shard,
            // the instances themselves are still reported
            out.clear();
            for (String id : instanceIds) {
                ObjectNode n = JsonNodeFactory.instance.objectNode();
                n.put("Read", false);
                n.put("Error", e.nativeCode() == null ? "unknown" : e.nativeCode());
                out.put(id, n);
            }
        }
        return out;
    }

    /** The {@code os} attribute of an instance JSON; null when SSM was not read. */
    public static JsonNode os(JsonNode instance) {
        JsonNode ssm = instance.path(KEY);
        if (!ssm.path("Read").asBoolean(false)) {
            return null;
        }
        JsonNode info = ssm.path("InstanceInformation");
        if (info.isObject()) {
            return new OsInfo(OsInfo.familyOf(Json.text(info, "PlatformType").orElse(null)),
                    Json.text(info, "PlatformName").orElse(null), Json.text(info, "PlatformVersion").orElse(null))
                    .toJson();
        }
        return new OsInfo(OsInfo.familyOf(Json.text(instance, "PlatformDetails").orElse(null)), null, null).toJson();
    }

    /** The {@code patch} attribute of an instance JSON; null when SSM was not read. */
    public static JsonNode patch(JsonNode instance) {
        JsonNode ssm = instance.path(KEY);
        if (!ssm.path("Read").asBoolean(false)) {
            return null;
        }
        if (!ssm.path("InstanceInformation").isObject()) {
            return InstancePatch.unmanaged().toJson();
        }
        JsonNode s = ssm.path("PatchState");
        if (!s.isObject()) {
            return new InstancePatch(true, null, null, null, null, null, null).toJson();
        }
        Instant end = time(s, "OperationEndTime");
        Instant installed = "Install".equals(s.path("Operation").asText()) ? end
                : time(s, "LastNoRebootInstallOperationTime");
        Integer pendingReboot = count(s, "InstalledPendingRebootCount");
        return new InstancePatch(true, count(s, "CriticalNonCompliantCount"), count(s, "SecurityNonCompliantCount"),
                count(s, "OtherNonCompliantCount"), end, installed, pendingReboot == null ? null : pendingReboot > 0)
                .toJson();
    }

    private static Integer count(JsonNode s, String field) {
        JsonNode v = s.get(field);
        return v == null || !v.canConvertToInt() ? null : v.asInt();
    }

    private static Instant time(JsonNode s, String field) {
        return Optional.ofNullable(s.get(field)).filter(JsonNode::isTextual).map(v -> Instant.parse(v.asText()))
                .orElse(null);
    }
}
