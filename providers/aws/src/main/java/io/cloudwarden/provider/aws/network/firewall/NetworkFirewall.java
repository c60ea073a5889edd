package io.cloudwarden.provider.aws.network.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.AwsType;
import io.cloudwarden.provider.aws.Json;
import io.cloudwarden.provider.aws.remediation.Remediators;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code network.firewall} on AWS: EC2 security groups. */
public final class NetworkFirewall implements AwsType {
    private static final String EC2 = "ec2.amazonaws.com";

    @Override
    public ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.NETWORK_FIREWALL, "AWS::EC2::SecurityGroup", Scope.REGIONAL,
                Set.of(Capability.LIST, Capability.FETCH), SecurityGroupCollector.PERMISSIONS,
                new SecurityGroupCollector(), new SecurityGroupNormalizer());
    }

    @Override
    public List<Call> cloudTrailCalls() {
        List<Call> calls = new ArrayList<>(Call.changes(EC2, "CreateSecurityGroup", "AuthorizeSecurityGroupIngress",
                "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress",
                "ModifySecurityGroupRules", "UpdateSecurityGroupRuleDescriptionsIngress",
                "UpdateSecurityGroupRuleDescriptionsEgress"));
        calls.add(Call.deletion(EC2, "DeleteSecurityGroup"));
        return calls;
    }

    @Override
    public List<String> idsOf(CallContext call) {
        JsonNode req = call.request();
        String groupId = Json.text(req, "groupId")
                .or(() -> Json.text(req, "ModifySecurityGroupRulesRequest", "GroupId"))
                .or(() -> Json.text(call.response(), "groupId"))
                .orElseThrow(() -> new EventParseException("/detail/requestParameters/groupId",
                        "expected the security group id of " + call.eventName()));
        return List.of(SecurityGroupCollector.arn(call.region(), call.account(), groupId));
    }

    @Override
    public Optional<String> idOfConfigItem(JsonNode item, String account, String region) {
        return Optional.of(SecurityGroupCollector.arn(region, account, Json.text(item, "resourceId").orElse("")));
    }

    @Override
    public List<Remediator> remediators() {
        return List.of(new RevokeInternetIngress(),
                new Remediators.Tag(ResourceTypes.NETWORK_FIREWALL, List.of("ec2:CreateTags")));
    }

    @Override
    public Set<String> terraformTypes() {
        return Set.of("aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule",
                "aws_vpc_security_group_egress_rule");
    }

    /** hashicorp/aws docs, r/security_group "Import": "import Security Groups using the security group ID". */
    @Override
    public io.cloudwarden.engine.spi.TerraformImport terraformImport(io.cloudwarden.model.Resource observed) {
        return new io.cloudwarden.engine.spi.TerraformImport.Importable("aws_security_group",
                AwsType.lastSegment(observed.id()));
    }

    @Override
    public java.util.Map<String, String> terraformAttributes() {
        return java.util.Map.of("/rules", "aws_security_group.ingress / egress (or aws_vpc_security_group_*_rule)");
    }
}
