package io.cloudwarden.provider.gcp.compute.instance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpResponse;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.patch.PatchInstalls;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.gcp.session.GcpErrors;
import io.cloudwarden.provider.gcp.session.GcpSession;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code compute.instance/install-patches} on GCP: a VM Manager (OS Config v1) patch job for the one instance, {@code
 * POST projects/P/patchJobs:execute} with {@code instanceFilter.instances} naming it, {@code rebootConfig: DEFAULT}
 * (reboot when the guest says it is needed) and a patch config limited to critical and security updates: Windows
 * Update classifications {@code CRITICAL} and {@code SECURITY}, yum {@code security: true}, zypper category {@code
 * security}, and for apt (which has no security-only mode in OS Config) {@code exclusivePackages}: the packages the
 * instance's vulnerability report says fix a vulnerability (read at plan time, in the plan's params). OS Config uses
 * the section that matches the guest. The job is followed with {@code patchJobs.get} until it ends; it must end
 * {@code SUCCEEDED} with the instance succeeded, else the apply fails with the job's state and instance counts.
 * Plan and verification are {@link PatchInstalls}'; verification re-reads the inventory and vulnerability report
 * through {@link PatchStates} (OS Config has no per-instance install record, so a fresh inventory {@code updateTime}
 * with nothing critical or security left is the evidence), and GCP's health signal is the instance status {@code
 * RUNNING} (the {@code state} attribute).
 *
 * <p>Idempotent: the job's {@code displayName} is {@link PatchInstalls#runLabel}. Before executing, {@code
 * patchJobs.list} (paged; the API filters only by deployment, so jobs are matched here) looks for a job of this plan
 * created since the plan: one still running is followed, one that succeeded is taken as done; no second job starts.
 */
public final class InstallPatches implements Remediator {
    private static final Set<String> RUNNING = Set.of("STARTED", "INSTANCE_LOOKUP", "PATCHING",
            "PATCH_JOB_STATE_UNSPECIFIED");
    /** The job's own limit: OS Config stops patching after it (the apply's wait has its own timeout). */
    static final String DURATION = "7200s";

    @Override public String actionId() { return PatchInstalls.ACTION; }
    @Override public String appliesTo() { return ResourceTypes.COMPUTE_INSTANCE; }
    @Override public RemediationPlan.Risk risk() { return RemediationPlan.Risk.HIGH; }
    @Override public String description() { return PatchInstalls.DESCRIPTION; }

    @Override
    public List<String> permissions() {
        return List.of("osconfig.patchJobs.exec", "osconfig.patchJobs.get", "osconfig.patchJobs.list");
    }

    @Override
    public Optional<PlannedChange> plan(Resource current) {
        ObjectNode params = ModelJson.mapper().createObjectNode();
        params.put("instance", instancePath(current.id()));
        ArrayNode apt = params.putArray("aptPackages");
        fixingPackages(current.raw()).forEach(apt::add);
        return PatchInstalls.plan(current, params);
    }

    /** {@code projects/P/zones/Z/instances/NAME} of a {@code //compute.googleapis.com/...} id. */
    static String instancePath(String id) {
        return id.replaceFirst("^//compute\\.googleapis\\.com/", "");
    }

    /** The apt package names the vulnerability report names as fixing a vulnerability of the instance. */
    static Set<String> fixingPackages(JsonNode asset) {
        JsonNode state = asset.path("cloudwarden").path("patch");
        JsonNode available = state.path("inventory").path("availableItems");
        Set<String> names = new TreeSet<>();
        for (JsonNode v : state.path("vulnerabilityReport").path("vulnerabilities")) {
            for (JsonNode id : v.path("availableInventoryItemIds")) {
                String name = available.path(id.asText()).path("availablePackage").path("aptPackage")
                        .path("packageName").asText("");
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** The patchJobs:execute request of a plan. */
    static ObjectNode request(RemediationPlan plan) {
        ObjectNode body = ModelJson.mapper().createObjectNode();
        body.put("displayName", PatchInstalls.runLabel(plan));
        body.put("description", "Cloudwarden " + PatchInstalls.ACTION + " (plan " + plan.id() + ")");
        body.putObject("instanceFilter").putArray("instances").add(plan.params().path("instance").asText());
        ObjectNode config = body.putObject("patchConfig");
        config.put("rebootConfig", "DEFAULT");
        ArrayNode packages = plan.params().path("aptPackages").isArray()
                ? (ArrayNode) plan.params().path("aptPackages").deepCopy() : ModelJson.mapper().createArrayNode();
        if (!packages.isEmpty()) {
            config.putObject("apt").set("exclusivePackages", packages);
        }
        config.putObject("yum").put("security", true);
        config.putObject("zypper").putArray("categories").add("security");
        config.putObject("windowsUpdate").putArray("classifications").add("CRITICAL").add("SECURITY");
        body.put("duration", DURATION);
        return body;
    }

    @Override
    public void apply(ProviderSession session, RemediationPlan plan) {
        GcpSession gcp = (GcpSession) session;
        String project = plan.resource().account();
        String label = PatchInstalls.runLabel(plan);
        JsonNode job = earlierJob(gcp, project, label, plan.createdAt())
                .orElseGet(() -> send(gcp, "/v1/projects/" + project + "/patchJobs:execute", request(plan),
                        "osconfig:patchJobs.execute(" + project + ")"));
        String name = job.path("name").asText();
        JsonNode done = RUNNING.contains(job.path("state").asText()) ? PatchInstalls.Wait.of(session.config())
                .until("OS Config patch job " + name, () -> {
                    JsonNode j = send(gcp, "/v1/" + name, null, "osconfig:patchJobs.get(" + name + ")");
                    return RUNNING.contains(j.path("state").asText()) ? Optional.empty() : Optional.of(j);
                }) : job;
        JsonNode summary = done.path("instanceDetailsSummary");
        long succeeded = summary.path("succeededInstanceCount").asLong(0);
        if (!"SUCCEEDED".equals(done.path("state").asText()) || succeeded < 1) {
            throw new PatchInstalls.InstallFailedException("OS Config patch job " + name + " for "
                    + plan.params().path("instance").asText() + " ended " + done.path("state").asText()
                    + " (instances: " + summary + ")" + (done.path("errorMessage").asText("").isEmpty() ? ""
                    : ": " + done.path("errorMessage").asText()));
        }
    }

    /** A job of this plan created since the plan that is running or succeeded (newest first). */
    private static Optional<JsonNode> earlierJob(GcpSession gcp, String project, String label, Instant since) {
        List<JsonNode> found = new ArrayList<>();
        String token = "";
        Set<String> seen = new HashSet<>();
        do {
            JsonNode page = send(gcp, "/v1/projects/" + project + "/patchJobs?pageSize=100"
                    + (token.isEmpty() ? "" : "&pageToken=" + token), null, "osconfig:patchJobs.list(" + project + ")");
            for (JsonNode j : page.path("patchJobs")) {
                String created = j.path("createTime").asText("");
                String state = j.path("state").asText();
                if (label.equals(j.path("displayName").asText()) && !created.isEmpty()
                        && !Instant.parse(created).isBefore(since)
                        && (RUNNING.contains(state) || "SUCCEEDED".equals(state))) {
                    found.add(j);
                }
            }
            token = page.path("nextPageToken").asText("");
            if (!token.isEmpty() && !seen.add(token)) {
                throw new ProviderException(Cloud.GCP, "osconfig:patchJobs.list", "MalformedResponse", false,
                        "osconfig:patchJobs.list(" + project + "): repeated nextPageToken");
            }
        } while (!token.isEmpty());
        return found.stream().max(java.util.Comparator.comparing(j -> Instant.parse(j.path("createTime").asText())));
    }

    /** A GET ({@code body} null) or a POST of {@code body} to the OS Config API; the JSON object answered. */
    private static JsonNode send(GcpSession gcp, String path, JsonNode body, String operation) {
        GenericUrl url = new GenericUrl(gcp.osConfigRoot() + path);
        try {
            HttpRequest req = body == null ? gcp.iamHttp().buildGetRequest(url)
                    : gcp.iamHttp().buildPostRequest(url, ByteArrayContent.fromString("application/json",
                            body.toString()));
            HttpResponse r = gcp.execute(req, "osconfig");
            try (InputStream in = r.getContent()) {
                JsonNode out = in == null ? null : ModelJson.mapper().readTree(in);
                if (out == null || !out.isObject()) {
                    throw new ProviderException(Cloud.GCP, operation, "MalformedResponse", false,
                            operation + ": expected a JSON object");
                }
                return out;
            } finally {
                r.disconnect();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ProviderException pe) {
                throw pe;
            }
            throw GcpErrors.map(operation, e);
        }
    }

    /** {@link PatchInstalls#failures} is empty (GCP's health signal, status {@code RUNNING}, is the state). */
    @Override
    public boolean verify(Resource reread, RemediationPlan plan) {
        return PatchInstalls.failures(reread, plan).isEmpty();
    }
}
