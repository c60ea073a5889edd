package io.cloudwarden.provider.aws.compute.instance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.provider.aws.SdkJson;
import io.cloudwarden.provider.aws.network.firewall.SecurityGroupCollector;
import io.cloudwarden.provider.aws.session.AwsCalls;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Volume;

/**
 * EC2 instances of one account-region (DescribeInstances paginator). Disk encryption needs the attached EBS
 * volumes' {@code Encrypted} flag, read with one DescribeVolumes pass per shard (not one call per instance); the
 * instance JSON gains a {@code Volumes} array of {@code {VolumeId, Encrypted}}.
 */
public final class InstanceCollector implements ResourceCollector {
    public static final List<String> PERMISSIONS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("ec2:DescribeInstances", "ec2:DescribeVolumes"),
            PatchStates.PERMISSIONS.stream()).toList();

    public static String arn(String region, String account, String instanceId) {
        return "arn:aws:ec2:" + region + ":" + account + ":instance/" + instanceId;
    }

    @Override
    public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
        Ec2Client ec2 = ((AwsSession) session).ec2(shard.account(), shard.region());
        Map<String, Boolean> encrypted = new HashMap<>();
        AwsCalls.run("ec2:DescribeVolumes", () -> {
            for (Volume v : ec2.describeVolumesPaginator(r -> r.maxResults(500)).volumes()) {
                encrypted.put(v.volumeId(), Boolean.TRUE.equals(v.encrypted()));
            }
        });
        List<Instance> instances = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        AwsCalls.run("ec2:DescribeInstances", () -> {
            for (Reservation res : ec2.describeInstancesPaginator(r -> r.maxResults(1000)).reservations()) {
                for (Instance i : res.instances()) {
                    instances.add(i);
                    owners.add(res.ownerId());
                }
            }
        });
        Map<String, ObjectNode> ssm = PatchStates.read((AwsSession) session, shard.account(), shard.region(),
                instances.stream().map(Instance::instanceId).toList());
        for (int k = 0; k < instances.size(); k++) {
            sink.accept(item(shard.account(), shard.region(), owners.get(k), instances.get(k), encrypted, ssm));
        }
    }

    @Override
    public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
        Ec2Client ec2 = ((AwsSession) session).ec2(ref.account(), ref.region());
        String id = SecurityGroupCollector.resourceId(ref.id());
        Optional<Reservation> res = AwsCalls.callOptional("ec2:DescribeInstances",
                Set.of("InvalidInstanceID.NotFound", "InvalidInstanceID.Malformed"),
                () -> ec2.describeInstances(r -> r.instanceIds(id)).reservations().stream().findFirst().orElse(null));
        if (res.isEmpty() || res.get().instances().isEmpty()) {
            return Optional.empty();
        }
        Map<String, Boolean> encrypted = new HashMap<>();
        AwsCalls.run("ec2:DescribeVolumes", () -> {
            for (Volume v : ec2.describeVolumesPaginator(r -> r.filters(
                    Filter.builder().name("attachment.instance-id").values(id).build())).volumes()) {
                encrypted.put(v.volumeId(), Boolean.TRUE.equals(v.encrypted()));
            }
        });
        Map<String, ObjectNode> ssm = PatchStates.read((AwsSession) session, ref.account(), ref.region(), List.of(id));
        return Optional.of(item(ref.account(), ref.region(), res.get().ownerId(), res.get().instances().get(0),
                encrypted, ssm));
    }

    private static NativeItem item(String account, String region, String ownerId, Instance i,
            Map<String, Boolean> encrypted, Map<String, ObjectNode> ssm) {
        String owner = ownerId == null || ownerId.isBlank() ? account : ownerId;
        ObjectNode j = SdkJson.toJson(i);
        ArrayNode vols = j.putArray("Volumes");
        i.blockDeviceMappings().forEach(m -> {
            if (m.ebs() != null && m.ebs().volumeId() != null) {
                ObjectNode v = vols.addObject();
                v.put("VolumeId", m.ebs().volumeId());
                Boolean e = encrypted.get(m.ebs().volumeId());
                if (e == null) {
                    v.putNull("Encrypted");
                } else {
                    v.put("Encrypted", e);
                }
            }
        });
        j.set(PatchStates.KEY, ssm.get(i.instanceId()));
        return new NativeItem(arn(region, owner, i.instanceId()), owner, region, j);
    }
}
