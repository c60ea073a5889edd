package io.cloudwarden.provider.aws.compute.instance;

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

/** {@code compute.instance} on AWS: EC2 instances. */
public final class ComputeInstance implements AwsType {
    private static final String EC2 = "ec2.amazonaws.com";

    @Override
    public ResourceDescriptor descriptor() {
        return new ResourceDescriptor(ResourceTypes.COMPUTE_INSTANCE, "AWS::EC2::Instance", Scope.REGIONAL,
                Set.of(Capability.LIST, Capability.FETCH), InstanceCollector.PERMISSIONS, new InstanceCollector(),
                new InstanceNormalizer());
    }

    @Override
    public List<Call> cloudTrailCalls() {
        List<Call> calls = new ArrayList<>(Call.changes(EC2, "RunInstances", "ModifyInstanceMetadataOptions"));
        calls.add(Call.deletion(EC2, "TerminateInstances"));
        // SSM SendCommand (AWS-RunPatchBaseline among others) changes the instances' patch state
        calls.addAll(Call.changes("ssm.amazonaws.com", "SendCommand"));
        return calls;
    }

    /** RunInstances names its instances in the response, the others in the request. */
    @Override
    public List<String> idsOf(CallContext call) {
        boolean run = call.eventName().equals("RunInstances");
        JsonNode req = call.request();
        List<String> ids = new ArrayList<>();
        JsonNode set = run ? call.response().path("instancesSet") : req.path("instancesSet");
        Json.array(set, "items").forEach(i -> Json.text(i, "instanceId").ifPresent(ids::add));
        Json.text(req, "instanceId").or(() -> Json.text(req, "ModifyInstanceMetadataOptionsRequest", "InstanceId"))
                .ifPresent(ids::add);
        Json.array(req, "instanceIds").forEach(i -> {
            if (i.isTextual()) {
                ids.add(i.asText());
            }
        });
        if (ids.isEmpty()) {
            throw new EventParseException(run ? "/detail/responseElements/instancesSet"
                    : call.eventName().equals("SendCommand") ? "/detail/requestParameters/instanceIds"
                    : "/detail/requestParameters/instancesSet", "expected the instance id(s) of " + call.eventName());
        }
        return ids.stream().map(id -> InstanceCollector.arn(call.region(), call.account(), id)).toList();
    }

    @Override
    public Optional<String> idOfConfigItem(JsonNode item, String account, String region) {
        return Optional.of(InstanceCollector.arn(region, account, Json.text(item, "resourceId").orElse("")));
    }

    @Override
    public List<Remediator> remediators() {
        return List.of(new Remediators.Tag(ResourceTypes.COMPUTE_INSTANCE, List.of("ec2:CreateTags")),
                new InstallPatches());
    }

    @Override
    public Set<String> terraformTypes() {
        return Set.of("aws_instance");
    }

    /** hashicorp/aws docs, r/instance "Import": "import instances using the id" ({@code i-…}). */
    @Override
    public io.cloudwarden.engine.spi.TerraformImport terraformImport(io.cloudwarden.model.Resource observed) {
        return new io.cloudwarden.engine.spi.TerraformImport.Importable("aws_instance",
                AwsType.lastSegment(observed.id()));
    }

    @Override
    public java.util.Map<String, String> terraformAttributes() {
        return java.util.Map.of("/state", "aws_instance.instance_state", "/publicIp", "aws_instance.public_ip",
                "/imageId", "aws_instance.ami", "/identity", "aws_instance.iam_instance_profile",
                "/diskEncryption", "aws_instance.root_block_device.encrypted / ebs_block_device.encrypted",
                "/metadataHardened", "aws_instance.metadata_options.http_tokens");
    }
}
