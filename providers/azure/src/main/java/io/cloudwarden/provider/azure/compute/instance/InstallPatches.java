package io.cloudwarden.provider.azure.compute.instance;

import com.azure.core.http.HttpMethod;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.patch.PatchInstalls;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.InstancePatch.OsInfo;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.azure.Json;
import io.cloudwarden.provider.azure.session.AzureRest;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code compute.instance/install-patches} on Azure: Update Manager's one-time install on the VM, {@code POST
 * <vm>/installPatches} ({@value VirtualMachines#API}) with {@code classificationsToInclude: [Critical, Security]} (the
 * Windows or Linux parameters by the VM's OS family), {@code rebootSetting: IfRequired} and {@code maximumDuration}
 * {@value #MAXIMUM_DURATION}. It is an ARM long-running operation: the 202's {@code Azure-AsyncOperation} (else
 * {@code Location}) is polled until it ends, and the installation result it carries must be {@code Succeeded} or
 * {@code CompletedWithWarnings} with no failed patch, else the apply fails with the result's counts and error.
 * Plan and verification are {@link PatchInstalls}'; verification re-reads the assessment from Resource Graph's {@code
 * patchassessmentresources} (through {@link PatchStates}: Update Manager assesses again after an install), and Azure's
 * health signal is the re-read VM's power state {@code running} with its VM agent {@code Ready}.
 *
 * <p>Idempotent: ARM gives an install no label, so before starting one {@code patchinstallationresources} is asked
 * for an install on this VM started by a user since the plan was created. One in progress is followed (polled in
 * Resource Graph until it ends) and one that succeeded is taken as this plan's; no second install is started (one
 * that failed is not: applying again starts a new install). Known limit: Resource Graph shows an install only
 * minutes after it started, so a retry within those minutes does not see it and posts installPatches again (ARM then
 * answers as it does for an install already running on the VM; an error fails the apply). A VM
 * whose OS family is not known gets no plan: the request must say Windows or Linux.
 */
public final class InstallPatches implements Remediator {
    static final String MAXIMUM_DURATION = "PT2H";
    private static final String INSTALL = "Microsoft.Compute/virtualMachines/installPatches/action";
    private static final String GRAPH = "Microsoft.ResourceGraph/resources/read";
    private static final Set<String> OK = Set.of("succeeded", "completedwithwarnings");
    private static final Set<String> RUNNING = Set.of("inprogress", "notstarted", "");

    @Override public String actionId() { return PatchInstalls.ACTION; }
    @Override public String appliesTo() { return ResourceTypes.COMPUTE_INSTANCE; }
    @Override public RemediationPlan.Risk risk() { return RemediationPlan.Risk.HIGH; }
    @Override public String description() { return PatchInstalls.DESCRIPTION; }

    /**
     * The install action; its async operation ({@code .../providers/Microsoft.Compute/locations/L/operations/ID}) is
     * read with {@code Microsoft.Compute/locations/operations/read}; earlier installs through Resource Graph.
     */
    @Override
    public List<String> permissions() {
        return List.of(INSTALL, "Microsoft.Compute/locations/operations/read", GRAPH);
    }

    @Override
    public Optional<PlannedChange> plan(Resource current) {
        String family = current.attributes().path(Attributes.ComputeInstance.OS)
                .path(Attributes.ComputeInstance.Os.FAMILY).asText("");
        if (!family.equals(OsInfo.WINDOWS) && !family.equals(OsInfo.LINUX)) {
            return Optional.empty();
        }
        return PatchInstalls.plan(current, Json.nodes().objectNode().put("osFamily", family)
                .put("rebootSetting", "IfRequired").put("maximumDuration", MAXIMUM_DURATION));
    }

    /** The installPatches request body of a plan. */
    static ObjectNode request(RemediationPlan plan) {
        ObjectNode body = Json.nodes().objectNode();
        body.put("maximumDuration", plan.params().path("maximumDuration").asText(MAXIMUM_DURATION));
        body.put("rebootSetting", "IfRequired");
        boolean windows = OsInfo.WINDOWS.equals(plan.params().path("osFamily").asText());
        body.putObject(windows ? "windowsParameters" : "linuxParameters").putArray("classificationsToInclude")
                .add("Critical").add("Security");
        return body;
    }

    @Override
    public void apply(ProviderSession session, RemediationPlan plan) {
        AzureSession az = (AzureSession) session;
        String vm = plan.resource().id();
        PatchInstalls.Wait wait = PatchInstalls.Wait.of(session.config());
        Optional<Install> earlier = latestUserInstall(az, plan)
                .filter(i -> RUNNING.contains(i.status()) || OK.contains(i.status()));
        if (earlier.isPresent()) {
            Install run = RUNNING.contains(earlier.get().status()) ? wait.until("the install " + earlier.get().id(),
                    () -> latestUserInstall(az, plan).filter(i -> !RUNNING.contains(i.status())))
                    : earlier.get();
            if (!OK.contains(run.status())) {
                throw new PatchInstalls.InstallFailedException("the install " + run.id() + " on " + vm + " ended "
                        + run.status());
            }
            return;
        }
        AzureRest.Accepted started = az.arm().begin(HttpMethod.POST, vm + "/installPatches", VirtualMachines.API,
                request(plan), INSTALL);
        JsonNode result = started.status() == 200 ? started.body() : follow(az, wait, vm, started);
        String status = result.path("status").asText("");
        int failed = result.path("failedPatchCount").asInt(0);
        if (!OK.contains(status.toLowerCase(Locale.ROOT)) || failed > 0) {
            throw new PatchInstalls.InstallFailedException("installPatches on " + vm + " ended " + status + " ("
                    + result.path("installedPatchCount").asInt(0) + " installed, " + failed + " failed, "
                    + result.path("pendingPatchCount").asInt(0) + " pending, reboot "
                    + result.path("rebootStatus").asText("?") + ")" + error(result.path("error")));
        }
    }

    /** Polls the long-running operation until it ends; its installation result. */
    private static JsonNode follow(AzureSession az, PatchInstalls.Wait wait, String vm, AzureRest.Accepted started) {
        String monitor = started.monitor().orElseThrow(() -> new PatchInstalls.InstallFailedException(
                "installPatches on " + vm + " answered HTTP " + started.status()
                        + " without Azure-AsyncOperation or Location to follow"));
        boolean async = started.asyncOperation().isPresent();
        AzureRest.Accepted done = wait.until("installPatches on " + vm, () -> {
            AzureRest.Accepted p = az.arm().poll(monitor, INSTALL);
            boolean running = async ? RUNNING.contains(p.body().path("status").asText("").toLowerCase(Locale.ROOT))
                    : p.status() == 202;
            return running ? Optional.empty() : Optional.of(p);
        });
        if (!async) {
            return done.body();
        }
        String opStatus = done.body().path("status").asText("");
        if (!"succeeded".equalsIgnoreCase(opStatus)) {
            throw new PatchInstalls.InstallFailedException("installPatches on " + vm + ": the operation ended "
                    + opStatus + error(done.body().path("error")));
        }
        return done.body().path("properties").path("output");
    }

    private static String error(JsonNode error) {
        if (!error.isObject()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        parts.add(error.path("code").asText("") + ": " + error.path("message").asText(""));
        error.path("details").forEach(d -> parts.add(d.path("code").asText("") + ": " + d.path("message").asText("")));
        return " — " + String.join("; ", parts);
    }

    /** An installation run of Update Manager on record in Resource Graph. */
    record Install(String id, String status) {
    }

    /** The newest user-started installation on the VM since the plan was created, if Resource Graph has one. */
    private static Optional<Install> latestUserInstall(AzureSession az, RemediationPlan plan) {
        String vm = plan.resource().id().replace("'", "");
        String kql = "patchinstallationresources"
                + " | where type =~ 'microsoft.compute/virtualmachines/patchinstallationresults'"
                + " | where id startswith '" + vm + "/'"
                + " | where properties.startedBy =~ 'User'"
                + " | where todatetime(properties.startDateTime) >= datetime(" + plan.createdAt() + ")"
                + " | project id, status = tostring(properties.status),"
                + " startDateTime = todatetime(properties.startDateTime)"
                + " | order by startDateTime desc | take 1";
        List<Install> found = new ArrayList<>();
        az.arm().resourceGraph(plan.resource().account(), kql, GRAPH, row -> found.add(new Install(
                row.path("id").asText(), row.path("status").asText("").toLowerCase(Locale.ROOT))));
        return found.stream().findFirst();
    }

    /** {@link PatchInstalls#failures} is empty and the VM agent reports {@code Ready} again. */
    @Override
    public boolean verify(Resource reread, RemediationPlan plan) {
        boolean agentReady = false;
        for (JsonNode s : reread.raw().path("properties").path("instanceView").path("vmAgent").path("statuses")) {
            agentReady |= "Ready".equalsIgnoreCase(s.path("displayStatus").asText());
        }
        return PatchInstalls.failures(reread, plan).isEmpty() && agentReady;
    }
}
