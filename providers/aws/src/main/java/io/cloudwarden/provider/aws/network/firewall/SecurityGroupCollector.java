package io.cloudwarden.provider.aws.network.firewall;

import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.provider.aws.SdkJson;
import io.cloudwarden.provider.aws.session.AwsCalls;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/** Security groups of one account-region via the DescribeSecurityGroups paginator. */
public final class SecurityGroupCollector implements ResourceCollector {
    public static final List<String> PERMISSIONS = List.of("ec2:DescribeSecurityGroups");

    public static String arn(String region, String account, String groupId) {
        return "arn:aws:ec2:" + region + ":" + account + ":security-group/" + groupId;
    }

    /** The last path segment of an ARN ({@code sg-…}, {@code i-…}), or the id itself. */
    public static String resourceId(String idOrArn) {
        int slash = idOrArn.lastIndexOf('/');
        return slash < 0 ? idOrArn : idOrArn.substring(slash + 1);
    }

    @Override
    public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
        var ec2 = ((AwsSession) session).ec2(shard.account(), shard.region());
        AwsCalls.run("ec2:DescribeSecurityGroups", () -> {
            for (SecurityGroup g : ec2.describeSecurityGroupsPaginator(r -> r.maxResults(1000)).securityGroups()) {
                sink.accept(item(shard.account(), shard.region(), g));
            }
        });
    }

    @Override
    public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
        var ec2 = ((AwsSession) session).ec2(ref.account(), ref.region());
        String id = resourceId(ref.id());
        return AwsCalls.callOptional("ec2:DescribeSecurityGroups", Set.of("InvalidGroup.NotFound", "InvalidGroupId.Malformed"),
                () -> ec2.describeSecurityGroups(r -> r.groupIds(id)).securityGroups().stream().findFirst()
                        .orElse(null))
                .map(g -> item(ref.account(), ref.region(), g));
    }

    private static NativeItem item(String account, String region, SecurityGroup g) {
        String owner = g.ownerId() == null || g.ownerId().isBlank() ? account : g.ownerId();
        return new NativeItem(arn(region, owner, g.groupId()), owner, region, SdkJson.toJson(g));
    }
}
