package io.cloudwarden.provider.azure.network.firewall;

import com.azure.core.http.HttpMethod;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.model.Attributes;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.azure.Json;
import io.cloudwarden.provider.azure.session.AzureSession;
import java.util.List;
import java.util.Optional;

/**
 * Deletes the inbound allow rules of an NSG whose source is anywhere ({@code *}, {@code Internet},
 * {@code 0.0.0.0/0}, {@code ::/0}). Deleting (rather than flipping to Deny) was chosen so the NSG ends up exactly as
 * if the rule had never been added, with no leftover rule to confuse later reviews; the full rule documents are kept
 * in the plan's {@code before}-state params so a revert can re-create them. ARM's DELETE of an absent rule answers 204,
 * which makes apply idempotent; the deletion is asynchronous (202), so verify re-reads the NSG.
 */
public final class RemoveInternetNsgRules implements Remediator {
    @Override
    public String actionId() {
        return ResourceTypes.NETWORK_FIREWALL + "/revoke-internet-ingress";
    }

    @Override
    public String appliesTo() {
        return ResourceTypes.NETWORK_FIREWALL;
    }

    @Override
    public List<String> permissions() {
        return List.of("Microsoft.Network/networkSecurityGroups/securityRules/delete");
    }

    @Override
    public RemediationPlan.Risk risk() {
        return RemediationPlan.Risk.HIGH;
    }

    @Override
    public String description() {
        return "Delete NSG inbound allow rules whose source is the Internet";
    }

    @Override
    public Optional<PlannedChange> plan(Resource current) {
        ArrayNode rules = Json.nodes().arrayNode();
        for (JsonNode r : current.raw().path("properties").path("securityRules")) {
            NetworkSecurityGroups.Rule rule = NetworkSecurityGroups.rulesFromArm(
                    Json.nodes().arrayNode().add(r)).get(0);
            if (rule.inbound() && rule.allow() && rule.fromAnywhere()) {
                rules.add(r);
            }
        }
        if (rules.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode before = Json.nodes().objectNode();
        before.set(Attributes.NetworkFirewall.INTERNET_INGRESS, current.attributes().path(Attributes.NetworkFirewall.INTERNET_INGRESS));
        ObjectNode after = Json.nodes().objectNode();
        after.putArray(Attributes.NetworkFirewall.INTERNET_INGRESS);
        ObjectNode params = Json.nodes().objectNode();
        ArrayNode names = params.putArray("ruleNames");
        rules.forEach(r -> names.add(r.path("name").asText()));
        params.set("deletedRules", rules);
        return Optional.of(new PlannedChange("Delete " + names.size() + " Internet-facing inbound rule(s) of "
                + current.name(), before, after, params));
    }

    @Override
    public void apply(ProviderSession session, RemediationPlan plan) {
        AzureSession az = (AzureSession) session;
        for (JsonNode name : plan.params().path("ruleNames")) {
            az.arm().write(HttpMethod.DELETE, plan.resource().id() + "/securityRules/" + name.asText(),
                    NetworkSecurityGroups.API, null, "Microsoft.Network/networkSecurityGroups/securityRules/delete");
        }
    }
}
