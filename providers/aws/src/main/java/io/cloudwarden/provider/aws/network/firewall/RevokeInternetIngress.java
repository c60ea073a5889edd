package io.cloudwarden.provider.aws.network.firewall;

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
import io.cloudwarden.provider.aws.Json;
import io.cloudwarden.provider.aws.remediation.Remediators;
import io.cloudwarden.provider.aws.session.AwsCalls;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;

/**
 * Revokes only the internet-open ranges ({@code 0.0.0.0/0}, {@code ::/0}) of ingress permissions, read from the
 * raw IpPermissions; every other range, group reference and egress rule is kept. {@code params.revoke} lists
 * exactly the (protocol, ports, cidr) tuples revoked. Already-revoked permissions are not an error.
 */
public final class RevokeInternetIngress implements Remediator {
    @Override public String actionId() { return "network.firewall/revoke-internet-ingress"; }
    @Override public String appliesTo() { return ResourceTypes.NETWORK_FIREWALL; }
    @Override public List<String> permissions() { return List.of("ec2:RevokeSecurityGroupIngress"); }
    @Override public RemediationPlan.Risk risk() { return RemediationPlan.Risk.HIGH; }
    @Override public String description() { return "Revoke security group ingress open to 0.0.0.0/0 or ::/0"; }

    @Override
    public Optional<PlannedChange> plan(Resource current) {
        ArrayNode revoke = Json.F.arrayNode();
        for (JsonNode p : Json.array(current.raw(), "IpPermissions")) {
            for (JsonNode r : Json.array(p, "IpRanges")) {
                if (FirewallRules.ANY_V4.equals(r.path("CidrIp").asText())) {
                    revoke.add(entry(p).put("cidrIp", FirewallRules.ANY_V4));
                }
            }
            for (JsonNode r : Json.array(p, "Ipv6Ranges")) {
                if (FirewallRules.ANY_V6.equals(r.path("CidrIpv6").asText())) {
                    revoke.add(entry(p).put("cidrIpv6", FirewallRules.ANY_V6));
                }
            }
        }
        if (revoke.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode before = Remediators.obj();
        before.set(Attributes.NetworkFirewall.INTERNET_INGRESS, current.attributes().path(Attributes.NetworkFirewall.INTERNET_INGRESS).deepCopy());
        ObjectNode after = Remediators.obj();
        after.putArray(Attributes.NetworkFirewall.INTERNET_INGRESS);
        ObjectNode params = Remediators.obj().put("groupId", SecurityGroupCollector.resourceId(current.id()));
        params.set("revoke", revoke);
        return Optional.of(new PlannedChange("Revoke " + revoke.size() + " internet-open ingress permission(s) of "
                + params.get("groupId").asText(), before, after, params));
    }

    private static ObjectNode entry(JsonNode p) {
        ObjectNode e = Remediators.obj().put("ipProtocol", p.path("IpProtocol").asText("-1"));
        if (p.hasNonNull("FromPort")) {
            e.put("fromPort", p.get("FromPort").asInt());
        }
        if (p.hasNonNull("ToPort")) {
            e.put("toPort", p.get("ToPort").asInt());
        }
        return e;
    }

    @Override
    public void apply(ProviderSession session, RemediationPlan plan) {
        var ec2 = ((AwsSession) session).ec2(plan.resource().account(), plan.resource().region());
        String groupId = plan.params().path("groupId").asText();
        List<IpPermission> perms = new ArrayList<>();
        for (JsonNode e : plan.params().path("revoke")) {
            IpPermission.Builder b = IpPermission.builder().ipProtocol(e.path("ipProtocol").asText());
            if (e.has("fromPort")) {
                b.fromPort(e.get("fromPort").asInt());
            }
            if (e.has("toPort")) {
                b.toPort(e.get("toPort").asInt());
            }
            if (e.has("cidrIp")) {
                b.ipRanges(IpRange.builder().cidrIp(e.get("cidrIp").asText()).build());
            } else {
                b.ipv6Ranges(Ipv6Range.builder().cidrIpv6(e.get("cidrIpv6").asText()).build());
            }
            perms.add(b.build());
        }
        try {
            ec2.revokeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(perms));
        } catch (AwsServiceException e) {
            if (!"InvalidPermission.NotFound".equals(AwsCalls.errorCode(e))) {
                throw AwsCalls.translate("ec2:RevokeSecurityGroupIngress", e);
            }
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw AwsCalls.translate("ec2:RevokeSecurityGroupIngress", e);
        }
    }
}
