package io.cloudwarden.provider.aws.identity.key;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.concurrency.ParallelReads;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.provider.aws.SdkJson;
import io.cloudwarden.provider.aws.session.AwsCalls;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.User;

/**
 * Access keys of every IAM user of one account, with their last use. The item JSON carries {@code ObservedAt} (the
 * read time) so the pure normalizer can compute {@code ageDays}. The secret is never returned by these APIs.
 */
public final class AccessKeyCollector implements ResourceCollector {
    public static final List<String> PERMISSIONS = List.of("iam:ListUsers", "iam:ListAccessKeys",
            "iam:GetAccessKeyLastUsed");
    private final Clock clock;

    public AccessKeyCollector() {
        this(Clock.systemUTC());
    }

    public AccessKeyCollector(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
        AwsSession s = (AwsSession) session;
        IamClient iam = s.iam(shard.account());
        // Each user's keys and their last use are read concurrently within the account's IAM quota, in user order.
        AwsCalls.run("iam:ListUsers", () -> ParallelReads.forEachOrdered(iam.listUsersPaginator().users(),
                s.readLimiter("iam", shard.account(), Shard.GLOBAL),
                u -> AwsCalls.call("iam:ListAccessKeys", () -> {
                    java.util.List<NativeItem> keys = new java.util.ArrayList<>();
                    for (AccessKeyMetadata k : iam.listAccessKeysPaginator(r -> r.userName(u.userName()))
                            .accessKeyMetadata()) {
                        keys.add(read(iam, shard.account(), k));
                    }
                    return keys;
                }),
                keys -> keys.forEach(sink)));
    }

    /** The ref id is the access key id; GetAccessKeyLastUsed names its user, whose keys are then listed. */
    @Override
    public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
        IamClient iam = ((AwsSession) session).iam(ref.account());
        Optional<String> user = AwsCalls.callOptional("iam:GetAccessKeyLastUsed", Set.of("NoSuchEntity"),
                () -> iam.getAccessKeyLastUsed(r -> r.accessKeyId(ref.id())).userName());
        if (user.isEmpty()) {
            return Optional.empty();
        }
        return AwsCalls.callOptional("iam:ListAccessKeys", Set.of("NoSuchEntity"), () -> {
            for (AccessKeyMetadata k : iam.listAccessKeysPaginator(r -> r.userName(user.get())).accessKeyMetadata()) {
                if (k.accessKeyId().equals(ref.id())) {
                    return k;
                }
            }
            return null;
        }).map(k -> read(iam, ref.account(), k));
    }

    private NativeItem read(IamClient iam, String account, AccessKeyMetadata k) {
        ObjectNode j = SdkJson.toJson(k);
        var last = AwsCalls.call("iam:GetAccessKeyLastUsed",
                () -> iam.getAccessKeyLastUsed(r -> r.accessKeyId(k.accessKeyId())).accessKeyLastUsed());
        if (last != null) {
            j.set("AccessKeyLastUsed", SdkJson.toJson(last));
        }
        j.put("ObservedAt", clock.instant().toString());
        return new NativeItem(k.accessKeyId(), account, Shard.GLOBAL, j);
    }
}
