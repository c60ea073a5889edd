package io.cloudwarden.provider.aws.session;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

/**
 * S3's endpoint rules, remembered: the SDK runs S3's rules engine (a generated decision tree over the bucket name,
 * region, ARN forms, FIPS, dual-stack, path style, the endpoint override...) twice for every call, once to pick the
 * auth scheme (the S3 auth-scheme provider resolves the endpoint to read its signing properties) and once for the
 * request's URL. Its answer is a pure function of {@link S3EndpointParams} (the rules and the partition table are
 * fixed in the SDK's jar), so the resolved {@link Endpoint} (an immutable value) is kept per complete set of
 * parameters: a bucket's eight configuration reads resolve once or twice instead of sixteen times.
 *
 * <p>The key holds <em>every</em> parameter the params class has (bucket, region, FIPS, dual-stack, endpoint, path
 * style, accelerate, global endpoint, object lambda, key, prefix, copy source, access-point and multi-region switches,
 * ARN region, S3 Express control endpoint and session auth, delete keys): two calls share an answer only when the
 * rules were given exactly the same input. A test pins that the count of accessors is still what this key covers, so
 * an SDK upgrade that adds a parameter fails it instead of silently sharing answers. Failures are not cached (the
 * next call asks the rules again). At most {@link #MAX_ENTRIES} answers are kept, the oldest dropped first: the
 * collector reads at most a few dozen buckets at a time, so a small bound keeps every bucket in flight.
 */
final class S3EndpointCache implements S3EndpointProvider {
    static final int MAX_ENTRIES = 1024;

    /** Every value of {@link S3EndpointParams}; records compare them all. */
    record Key(String bucket, Region region, Boolean useFips, Boolean useDualStack, String endpoint,
            Boolean forcePathStyle, Boolean accelerate, Boolean useGlobalEndpoint, Boolean useObjectLambdaEndpoint,
            String key, String prefix, String copySource, Boolean disableAccessPoints,
            Boolean disableMultiRegionAccessPoints, Boolean useArnRegion, Boolean useS3ExpressControlEndpoint,
            Boolean disableS3ExpressSessionAuth, List<String> deleteObjectKeys) {
        /** The number of parameter accessors {@link #of} reads (S3EndpointParams also has {@code regionId()}, derived from region). */
        static final int PARAMETERS = 18;

        static Key of(S3EndpointParams p) {
            return new Key(p.bucket(), p.region(), p.useFips(), p.useDualStack(), p.endpoint(), p.forcePathStyle(),
                    p.accelerate(), p.useGlobalEndpoint(), p.useObjectLambdaEndpoint(), p.key(), p.prefix(),
                    p.copySource(), p.disableAccessPoints(), p.disableMultiRegionAccessPoints(), p.useArnRegion(),
                    p.useS3ExpressControlEndpoint(), p.disableS3ExpressSessionAuth(),
                    p.deleteObjectKeys() == null ? null : List.copyOf(p.deleteObjectKeys()));
        }
    }

    private final S3EndpointProvider rules;
    private final int maxEntries;
    private final Map<Key, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Queue<Key> order = new ConcurrentLinkedQueue<>();

    S3EndpointCache(S3EndpointProvider rules) {
        this(rules, MAX_ENTRIES);
    }

    S3EndpointCache(S3EndpointProvider rules, int maxEntries) {
        this.rules = rules;
        this.maxEntries = maxEntries;
    }

    @Override
    public CompletableFuture<Endpoint> resolveEndpoint(S3EndpointParams params) {
        Key key = Key.of(params);
        Endpoint known = endpoints.get(key);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return rules.resolveEndpoint(params).thenApply(endpoint -> {
            if (endpoints.putIfAbsent(key, endpoint) == null) {
                order.add(key);
                while (endpoints.size() > maxEntries) {
                    Key oldest = order.poll();
                    if (oldest == null) {
                        break;
                    }
                    endpoints.remove(oldest);
                }
            }
            return endpoint;
        });
    }

    /** Answers kept now (tests). */
    int size() {
        return endpoints.size();
    }
}
