package io.cloudwarden.provider.aws.compute.group;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.Capability;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.engine.spi.Scope;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.AwsType;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code compute.group} on AWS: EC2 Auto Scaling groups. Seen by scans only: the Auto Scaling CloudTrail calls name
 * a group by name while its id is the ARN, which carries a UUID the event does not (so no calls are declared and
 * {@code infra/aws/events.tf} routes none). A Terraform state's {@code aws_autoscaling_group} is mapped by
 * {@code AwsBaselineMapper}, with the {@code aws_autoscaling_policy} / {@code aws_autoscaling_schedule} that scale it
 * folded in (they decide whether {@code capacity/desired} is compared); the instances the group launches are left to
 * the group by drift ({@code DriftEngine}, "Members of scaling groups").
 */
public final class ComputeGroup implements AwsType {
    @Override
    public ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.COMPUTE_GROUP, "AWS::AutoScaling::AutoScalingGroup",
                Scope.REGIONAL, Set.of(Capability.LIST, Capability.FETCH), GroupCollector.PERMISSIONS,
                new GroupCollector(), new GroupNormalizer());
    }

    @Override
    public List<Call> cloudTrailCalls() {
        return List.of();
    }

    @Override
    public List<String> idsOf(CallContext call) {
        return List.of();
    }

    @Override
    public Optional<String> idOfConfigItem(JsonNode item, String account, String region) {
        return Optional.empty();
    }

    @Override
    public Set<String> terraformTypes() {
        return Set.of("aws_autoscaling_group", "aws_autoscaling_policy", "aws_autoscaling_schedule");
    }

    @Override
    public java.util.Map<String, String> terraformAttributes() {
        return java.util.Map.of("/capacity", "aws_autoscaling_group.min_size / max_size / desired_capacity");
    }

    /** hashicorp/aws {@code aws_autoscaling_group} "Import": by the group's name (the ARN's last segment). */
    @Override
    public io.cloudwarden.engine.spi.TerraformImport terraformImport(io.cloudwarden.model.Resource observed) {
        String id = observed.id();
        return new io.cloudwarden.engine.spi.TerraformImport.Importable("aws_autoscaling_group",
                id.substring(id.lastIndexOf('/') + 1));
    }
}
