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
 *
 * <p>Utilization and group (issue 15), also per shard in bulk: the instances' CPU from CloudWatch
 * ({@link InstanceUtilization}: one GetMetricData per 500 instances) as {@code Utilization}, and for instances tagged
 * {@code aws:autoscaling:groupName} their group's ARN as {@code AutoScalingGroupARN} (DescribeAutoScalingGroups by
 * name, 50 names a call: the instance tag names the group, only the group names its ARN). Neither read may hide the
 * instances: a failed metrics read leaves {@code Utilization} out and records {@code UtilizationError} (the error
 * code), a failed group read records {@code AutoScalingGroupError}, so the evidence says why the attribute is null.
 */
public final class InstanceCollector implements ResourceCollector {
    public static final List<String> PERMISSIONS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("ec2:DescribeInstances", "ec2:DescribeVolumes", "cloudwatch:GetMetricData",
                    "autoscaling:DescribeAutoScalingGroups"),
            PatchStates.PERMISSIONS.stream()).toList();
    static final String GROUP_TAG = "aws:autoscaling:groupName";
    private final InstanceUtilization utilization;

    public InstanceCollector() {
        this(java.time.Clock.systemUTC());
    }

    public InstanceCollector(java.time.Clock clock) {
        this.utilization = new InstanceUtilization(clock);
    }

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
        List<NativeItem> items = new ArrayList<>();
        for (int k = 0; k < instances.size(); k++) {
            items.add(item(shard.account(), shard.region(), owners.get(k), instances.get(k), encrypted, ssm));
        }
        enrich((AwsSession) session, shard.account(), shard.region(), instances, items);
        items.forEach(sink);
    }

    /** Adds {@code Utilization} and {@code AutoScalingGroupARN} (or the error codes of their reads) to the items. */
    private void enrich(AwsSession session, String account, String region, List<Instance> instances,
            List<NativeItem> items) {
        List<String> ids = instances.stream().map(Instance::instanceId).toList();
        Map<String, io.cloudwarden.engine.spi.utilization.CpuUtilization> cpu = Map.of();
        String cpuError = null;
        try {
            cpu = utilization.read(session, account, region, ids);
        } catch (io.cloudwarden.engine.spi.ProviderException e) {
            cpuError = e.nativeCode();
        }
        Map<String, String> groupOf = new HashMap<>();
        List<String> names = instances.stream().flatMap(i -> i.tags().stream())
                .filter(t -> GROUP_TAG.equals(t.key())).map(t -> t.value()).distinct().toList();
        String groupError = null;
        try {
            groupOf.putAll(groupArns(session, account, region, names));
        } catch (io.cloudwarden.engine.spi.ProviderException e) {
            groupError = e.nativeCode();
        }
        for (int k = 0; k < instances.size(); k++) {
            Instance i = instances.get(k);
            ObjectNode j = (ObjectNode) items.get(k).json();
            var u = cpu.get(i.instanceId());
            if (u != null) {
                j.set("Utilization", u.toJson());
            } else if (cpuError != null) {
                j.put("UtilizationError", cpuError);
            }
            Optional<String> name = i.tags().stream().filter(t -> GROUP_TAG.equals(t.key())).map(t -> t.value())
                    .findFirst();
            if (name.isPresent() && groupOf.containsKey(name.get())) {
                j.put("AutoScalingGroupARN", groupOf.get(name.get()));
            } else if (name.isPresent() && groupError != null) {
                j.put("AutoScalingGroupError", groupError);
            }
        }
    }

    /** Group name → ARN for the named Auto Scaling groups (50 names per DescribeAutoScalingGroups request). */
    static Map<String, String> groupArns(AwsSession session, String account, String region, List<String> names) {
        Map<String, String> out = new HashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        var asg = session.autoScaling(account, region);
        for (int from = 0; from < names.size(); from += 50) {
            List<String> batch = names.subList(from, Math.min(from + 50, names.size()));
            AwsCalls.run("autoscaling:DescribeAutoScalingGroups", () -> asg.describeAutoScalingGroupsPaginator(
                    r -> r.autoScalingGroupNames(batch)).autoScalingGroups()
                    .forEach(g -> out.put(g.autoScalingGroupName(), g.autoScalingGroupARN())));
        }
        return out;
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
        NativeItem item = item(ref.account(), ref.region(), res.get().ownerId(), res.get().instances().get(0),
                encrypted, ssm);
        enrich((AwsSession) session, ref.account(), ref.region(), List.of(res.get().instances().get(0)),
                List.of(item));
        return Optional.of(item);
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
