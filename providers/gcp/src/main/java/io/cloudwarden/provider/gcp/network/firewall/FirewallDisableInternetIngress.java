package io.cloudwarden.provider.gcp.network.firewall;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.compute.v1.Firewall;
import com.google.cloud.compute.v1.Operation;
import com.google.cloud.compute.v1.PatchFirewallRequest;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.gcp.GcpIds;
import io.cloudwarden.provider.gcp.session.GcpErrors;
import io.cloudwarden.provider.gcp.session.GcpSession;
import java.util.List;
import java.util.Optional;

/**
 * {@code network.firewall/revoke-internet-ingress}: DISABLES a VPC firewall rule that allows ingress from
 * {@code 0.0.0.0/0} or {@code ::/0} ({@code firewalls.patch} with {@code disabled: true}). Disabling was chosen over
 * narrowing the source ranges because Cloudwarden cannot know which ranges the owner intended, and a disabled rule
 * keeps its full configuration, so the revert is a single flag. Patching an already disabled rule is a no-op.
 */
public final class FirewallDisableInternetIngress implements Remediator {
    @Override
    public String actionId() {
        return "network.firewall/revoke-internet-ingress";
    }

    @Override
    public String appliesTo() {
        return ResourceTypes.NETWORK_FIREWALL;
    }

    @Override
    public List<String> permissions() {
        return List.of("compute.firewalls.update", "compute.networks.updatePolicy", "compute.globalOperations.get");
    }

    @Override
    public RemediationPlan.Risk risk() {
        return RemediationPlan.Risk.HIGH;
    }

    @Override
    public String description() {
        return "Disable a VPC firewall rule that allows ingress from anywhere (0.0.0.0/0 or ::/0)";
    }

    @Override
    public Optional<PlannedChange> plan(Resource current) {
        if (current.attributes().path(Attributes.NetworkFirewall.INTERNET_INGRESS).isEmpty()) {
            return Optional.empty();
        }
        ObjectNode before = ModelJson.mapper().createObjectNode();
        before.set(Attributes.NetworkFirewall.INTERNET_INGRESS, current.attributes().get(Attributes.NetworkFirewall.INTERNET_INGRESS));
        ObjectNode after = ModelJson.mapper().createObjectNode();
        after.putArray(Attributes.NetworkFirewall.INTERNET_INGRESS);
        String project = GcpIds.segment(current.id(), "projects").orElse(current.account());
        ObjectNode params = ModelJson.mapper().createObjectNode().put("project", project)
                .put("firewall", GcpIds.last(current.id()));
        return Optional.of(new PlannedChange("Disable firewall rule " + GcpIds.last(current.id())
                + " (allows ingress from anywhere)", before, after, params));
    }

    @Override
    public void apply(ProviderSession session, RemediationPlan plan) {
        String project = plan.params().path("project").asText("");
        String name = plan.params().path("firewall").asText("");
        if (project.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("plan.params: expected project and firewall");
        }
        GcpSession gcp = (GcpSession) session;
        String op = "compute:firewalls.patch(" + project + "/" + name + ")";
        try {
            PatchFirewallRequest request = PatchFirewallRequest.newBuilder().setProject(project).setFirewall(name)
                    .setFirewallResource(Firewall.newBuilder().setDisabled(true).build()).build();
            Operation operation = gcp.firewalls().patchCallable().call(request);
            if (operation.getStatus() != Operation.Status.DONE) {
                operation = gcp.globalOperations().wait(project, operation.getName());
            }
            if (operation.hasError() && operation.getError().getErrorsCount() > 0) {
                var err = operation.getError().getErrors(0);
                throw new ProviderException(Cloud.GCP, op, err.getCode(), false,
                        op + " failed: " + err.getCode() + " " + err.getMessage());
            }
        } catch (RuntimeException e) {
            throw GcpErrors.map(op, e);
        }
    }
}
