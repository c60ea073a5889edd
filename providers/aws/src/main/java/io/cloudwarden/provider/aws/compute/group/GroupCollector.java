package io.cloudwarden.provider.aws.compute.group;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.utilization.CpuUtilization;
import io.cloudwarden.engine.spi.utilization.GroupUtilization;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.provider.aws.SdkJson;
import io.cloudwarden.provider.aws.compute.instance.InstanceCollector;
import io.cloudwarden.provider.aws.compute.instance.InstanceUtilization;
import io.cloudwarden.provider.aws.session.AwsCalls;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

/**
 * Auto Scaling groups of one account-region (DescribeAutoScalingGroups paginator), each with its members' CPU read
 * in one bulk CloudWatch pass for the whole shard ({@link InstanceUtilization}) and folded into
 * {@code GroupUtilization} ({@code {cpuAvg, cpuP95, spread, windowDays}}) on the group's JSON. A failed metrics
 * read leaves it out and records {@code UtilizationError}: the groups are still listed.
 */
public final class GroupCollector implements ResourceCollector {
    public static final List<String> PERMISSIONS = List.of("autoscaling:DescribeAutoScalingGroups",
            "cloudwatch:GetMetricData");
    private static final String NAME_MARK = ":autoScalingGroupName/";
    private final InstanceUtilization utilization;

    public GroupCollector() {
        this(Clock.systemUTC());
    }

    public GroupCollector(Clock clock) {
        this.utilization = new InstanceUtilization(clock);
    }

    @Override
    public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
        AutoScalingClient asg = ((AwsSession) session).autoScaling(shard.account(), shard.region());
        List<AutoScalingGroup> groups = new ArrayList<>();
        AwsCalls.run("autoscaling:DescribeAutoScalingGroups",
                () -> asg.describeAutoScalingGroupsPaginator(r -> r.maxRecords(100)).autoScalingGroups()
                        .forEach(groups::add));
        items((AwsSession) session, shard.account(), shard.region(), groups).forEach(sink);
    }

    @Override
    public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
        int mark = ref.id().indexOf(NAME_MARK);
        if (mark < 0) {
            return Optional.empty();
        }
        String name = ref.id().substring(mark + NAME_MARK.length());
        AutoScalingClient asg = ((AwsSession) session).autoScaling(ref.account(), ref.region());
        List<AutoScalingGroup> groups = new ArrayList<>();
        AwsCalls.run("autoscaling:DescribeAutoScalingGroups", () -> asg.describeAutoScalingGroups(
                r -> r.autoScalingGroupNames(name)).autoScalingGroups().stream()
                .filter(g -> ref.id().equals(g.autoScalingGroupARN())).forEach(groups::add));
        return items((AwsSession) session, ref.account(), ref.region(), groups).stream().findFirst();
    }

    private List<NativeItem> items(AwsSession session, String account, String region,
            List<AutoScalingGroup> groups) {
        List<String> members = groups.stream().flatMap(g -> g.instances().stream()).map(i -> i.instanceId())
                .distinct().toList();
        Map<String, CpuUtilization> cpu = Map.of();
        String error = null;
        try {
            cpu = utilization.read(session, account, region, members);
        } catch (ProviderException e) {
            error = e.nativeCode();
        }
        List<NativeItem> out = new ArrayList<>();
        for (AutoScalingGroup g : groups) {
            ObjectNode j = SdkJson.toJson(g);
            List<CpuUtilization> read = new ArrayList<>();
            var ids = j.putArray("MemberIds");
            for (var i : g.instances()) {
                ids.add(InstanceCollector.arn(region, account, i.instanceId()));
                Optional.ofNullable(cpu.get(i.instanceId())).ifPresent(read::add);
            }
            if (error != null) {
                j.put("UtilizationError", error);
            } else {
                j.set("GroupUtilization", GroupUtilization.toJson(GroupUtilization.of(read)));
            }
            out.add(new NativeItem(g.autoScalingGroupARN(), account, region, j));
        }
        return out;
    }
}
