package io.cloudwarden.provider.aws.storage.bucket;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.spi.NativeItem;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.ResourceCollector;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.engine.spi.concurrency.ParallelReads;
import io.cloudwarden.model.ResourceRef;
import io.cloudwarden.provider.aws.Json;
import io.cloudwarden.provider.aws.SdkJson;
import io.cloudwarden.provider.aws.session.AwsCalls;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Lists buckets once per account (S3 listing is global) and reads each bucket's configuration from a client in
 * the bucket's own region. The region comes with the listing ({@code BucketRegion}, which S3 returns for every
 * bucket); GetBucketLocation is called only when it is missing (S3-compatible servers that do not send it), and by
 * {@link #fetch}. "Not configured" answers (no policy, no public access block, no encryption, no tag set) are
 * absences, not errors.
 *
 * <p>A bucket costs seven configuration reads, or eight when it has a policy: the policy is read first and its
 * status (S3's own evaluation of whether the policy is public) only when there is one, since S3 answers
 * GetBucketPolicyStatus with the same "NoSuchBucketPolicy" for a bucket without a policy. Any other answer to the
 * policy read (access denied, a throttle that outlasts the retries) fails the read as before: a status that was
 * not read is never recorded as absent.
 *
 * <p>The per-bucket reads run concurrently within the account's S3 read quota ({@link ParallelReads}, adaptive to
 * throttling); the buckets reach the sink in listing order and a failed read fails the shard as before.
 *
 * <p>{@link #fetch} (an event's re-read of one bucket) runs that bucket's configuration reads concurrently
 * instead, within the same quota (the policy and its status one after the other), so an event waits for three or
 * four round trips (HeadBucket, GetBucketLocation, the configurations) rather than ten; the configurations are put
 * into the item in the same order and the first failing one (in that order) fails the read, as when they run one
 * after another. A scan keeps each bucket's reads sequential: it already has as many buckets in flight as the quota
 * allows.
 */
public final class BucketCollector implements ResourceCollector {
    public static final List<String> PERMISSIONS = List.of("s3:ListAllMyBuckets", "s3:ListBucket", "s3:GetBucketLocation",
            "s3:GetBucketPublicAccessBlock", "s3:GetBucketPolicyStatus", "s3:GetBucketPolicy", "s3:GetBucketAcl",
            "s3:GetEncryptionConfiguration", "s3:GetBucketVersioning", "s3:GetBucketLogging", "s3:GetBucketTagging");

    public static String arn(String bucket) {
        return "arn:aws:s3:::" + bucket;
    }

    @Override
    public void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink) {
        AwsSession s = (AwsSession) session;
        S3Client home = s.s3(shard.account(), Shard.GLOBAL);
        AwsCalls.run("s3:ListAllMyBuckets", () -> ParallelReads.forEachOrdered(
                home.listBucketsPaginator(r -> r.maxBuckets(1000)).buckets(),
                s.readLimiter("s3", shard.account(), Shard.GLOBAL),
                b -> read(s, shard.account(), b.name(), Optional.ofNullable(b.creationDate()),
                        Optional.ofNullable(b.bucketRegion()).filter(r -> !r.isBlank())),
                sink));
    }

    @Override
    public Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref) {
        AwsSession s = (AwsSession) session;
        String name = ref.id().startsWith("arn:aws:s3:::") ? ref.id().substring("arn:aws:s3:::".length()) : ref.id();
        S3Client home = s.s3(ref.account(), Shard.GLOBAL);
        Optional<Object> exists = AwsCalls.callOptional("s3:ListBucket", Set.of("NoSuchBucket", "NotFound", "HTTP 404"),
                () -> home.headBucket(r -> r.bucket(name)));
        if (exists.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(read(s, ref.account(), name, Optional.empty(), Optional.empty(), true));
    }

    private NativeItem read(AwsSession s, String account, String name, Optional<java.time.Instant> created,
            Optional<String> listedRegion) {
        return read(s, account, name, created, listedRegion, false);
    }

    private NativeItem read(AwsSession s, String account, String name, Optional<java.time.Instant> created,
            Optional<String> listedRegion, boolean concurrentConfigurations) {
        S3Client home = s.s3(account, Shard.GLOBAL);
        String region = listedRegion.orElseGet(() -> AwsCalls.call("s3:GetBucketLocation", () -> {
            var c = home.getBucketLocation(r -> r.bucket(name)).locationConstraintAsString();
            if (c == null || c.isEmpty()) {
                return "us-east-1";
            }
            return c.equals("EU") ? "eu-west-1" : c;
        }));
        S3Client c = s.s3(account, region);
        ObjectNode j = Json.F.objectNode();
        j.put("Name", name);
        created.ifPresent(t -> j.put("CreationDate", t.toString()));
        j.put("Region", region);
        // Each read returns what it puts into the item, so the item is built on this thread in this order.
        List<Supplier<Consumer<ObjectNode>>> reads = List.of(
                () -> optional(AwsCalls.callOptional("s3:GetBucketPublicAccessBlock",
                        Set.of("NoSuchPublicAccessBlockConfiguration"),
                        () -> c.getPublicAccessBlock(r -> r.bucket(name)).publicAccessBlockConfiguration()),
                        (o, p) -> o.set("PublicAccessBlock", SdkJson.toJson(p))),
                () -> {
                    // The policy first: S3 evaluates a policy status only for a bucket that has a policy, so
                    // "NoSuchBucketPolicy" here answers both reads and GetBucketPolicyStatus is not sent.
                    Optional<String> policy = AwsCalls.callOptional("s3:GetBucketPolicy", Set.of("NoSuchBucketPolicy"),
                            () -> c.getBucketPolicy(r -> r.bucket(name)).policy());
                    Optional<ObjectNode> status = policy.isEmpty() ? Optional.empty()
                            : AwsCalls.callOptional("s3:GetBucketPolicyStatus", Set.of("NoSuchBucketPolicy"),
                                    () -> c.getBucketPolicyStatus(r -> r.bucket(name)).policyStatus())
                                    .map(SdkJson::toJson);
                    return o -> {
                        status.ifPresent(p -> o.set("PolicyStatus", p));
                        policy.ifPresent(p -> o.put("Policy", p));
                    };
                },
                () -> {
                    var acl = SdkJson.toJson(AwsCalls.call("s3:GetBucketAcl",
                            () -> c.getBucketAcl(r -> r.bucket(name))));
                    return o -> o.set("Acl", acl);
                },
                () -> optional(AwsCalls.callOptional("s3:GetEncryptionConfiguration",
                        Set.of("ServerSideEncryptionConfigurationNotFoundError"),
                        () -> c.getBucketEncryption(r -> r.bucket(name)).serverSideEncryptionConfiguration()),
                        (o, e) -> o.set("Encryption", SdkJson.toJson(e))),
                () -> {
                    var versioning = SdkJson.toJson(AwsCalls.call("s3:GetBucketVersioning",
                            () -> c.getBucketVersioning(r -> r.bucket(name))));
                    return o -> o.set("Versioning", versioning);
                },
                () -> {
                    var logging = SdkJson.toJson(AwsCalls.call("s3:GetBucketLogging",
                            () -> c.getBucketLogging(r -> r.bucket(name))));
                    return o -> o.set("Logging", logging);
                },
                () -> {
                    List<Tag> tags = AwsCalls.callOptional("s3:GetBucketTagging", Set.of("NoSuchTagSet"),
                            () -> c.getBucketTagging(r -> r.bucket(name)).tagSet()).orElse(List.of());
                    return o -> {
                        var arr = o.putArray("Tags");
                        tags.forEach(t -> arr.add(SdkJson.toJson(t)));
                    };
                });
        if (concurrentConfigurations) {
            ParallelReads.forEachOrdered(reads, s.readLimiter("s3", account, Shard.GLOBAL), Supplier::get,
                    put -> put.accept(j));
        } else {
            reads.forEach(read -> read.get().accept(j));
        }
        return new NativeItem(arn(name), account, region, j);
    }

    private static <T> Consumer<ObjectNode> optional(Optional<T> value,
            java.util.function.BiConsumer<ObjectNode, T> put) {
        return o -> value.ifPresent(v -> put.accept(o, v));
    }
}
