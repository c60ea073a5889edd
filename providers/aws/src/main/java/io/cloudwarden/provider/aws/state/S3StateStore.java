package io.cloudwarden.provider.aws.state;

import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StateStoreException;
import io.cloudwarden.engine.spi.StoredObject;
import io.cloudwarden.engine.spi.StoredStream;
import io.cloudwarden.engine.state.SpooledContent;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A state store in one S3 bucket under a prefix, with S3's conditional writes: IF_ABSENT sends
 * {@code If-None-Match: *}, IF_MATCH sends {@code If-Match: <etag>}; S3 answers a lost race with 412
 * (PreconditionFailed) or 409 (ConditionalRequestConflict), both mapped to {@link PreconditionFailedException}.
 * The version token is the object's ETag (quotes included, as S3 returns and expects it).
 *
 * <p>Streamed reads ({@link #open}) are one GetObject whose body is handed out as it arrives, with that response's
 * ETag: S3 serves one object version per request, so the version is the one of exactly those bytes. Streamed writes
 * ({@link #putStream}) are spooled to a temp file and sent as one PutObject with its length and the same conditions
 * as {@link #put} ({@link SpooledContent} says why not a multipart upload).
 */
public final class S3StateStore implements StateStore {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public S3StateStore(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /** Parses {@code s3://bucket[/prefix]}; a clear error when the bucket is missing. */
    public static String[] parse(URI location) {
        if (!"s3".equalsIgnoreCase(location.getScheme())) {
            throw new IllegalArgumentException("state location: expected s3://bucket/prefix but was " + location);
        }
        String bucket = location.getHost() != null ? location.getHost() : location.getAuthority();
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("state location " + location + ": expected a bucket name after s3://");
        }
        String path = location.getPath() == null ? "" : location.getPath().replaceAll("^/+", "");
        return new String[] {bucket, path};
    }

    private String objectKey(String key) {
        if (key == null || key.isBlank() || key.startsWith("/") || key.contains("..")) {
            throw new IllegalArgumentException("state key: expected a relative /-separated path but was '" + key + "'");
        }
        return prefix + key;
    }

    @Override
    public Optional<StoredObject> get(String key) {
        String k = objectKey(key);
        return read(key, () -> {
            var bytes = s3.getObjectAsBytes(r -> r.bucket(bucket).key(k));
            return new StoredObject(key, bytes.asByteArray(), bytes.response().eTag());
        });
    }

    @Override
    public Optional<StoredStream> open(String key) {
        String k = objectKey(key);
        return read(key, () -> {
            var in = s3.getObject(r -> r.bucket(bucket).key(k));
            return new StoredStream(key, in, in.response().eTag());
        });
    }

    /** Runs one read of {@code key}: a 404 is an absent object, any other failure a {@link StateStoreException}. */
    private <T> Optional<T> read(String key, java.util.function.Supplier<T> request) {
        try {
            return Optional.of(request.get());
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new StateStoreException(describe() + ": cannot read " + key + " (" + code(e) + ")", e);
        } catch (SdkException e) {
            throw new StateStoreException(describe() + ": cannot read " + key + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    @Override
    public String put(String key, byte[] data, Precondition precondition) {
        return put(key, RequestBody.fromBytes(data), precondition);
    }

    @Override
    public String putStream(String key, Content content, Precondition precondition) {
        objectKey(key);
        try (SpooledContent spooled = SpooledContent.spool(this, key, content)) {
            return put(key, RequestBody.fromFile(spooled.file()), precondition);
        }
    }

    private String put(String key, RequestBody body, Precondition precondition) {
        String k = objectKey(key);
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(bucket).key(k)
                .contentType("application/octet-stream");
        switch (precondition.kind()) {
            case IF_ABSENT -> req.ifNoneMatch("*");
            case IF_MATCH -> req.ifMatch(precondition.version());
            default -> { }
        }
        try {
            return s3.putObject(req.build(), body).eTag();
        } catch (AwsServiceException e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                throw new PreconditionFailedException(key, precondition.kind() == Precondition.Kind.IF_ABSENT
                        ? "already exists in " + describe() : "changed since version " + precondition.version()
                        + " in " + describe() + " (" + code(e) + ")");
            }
            throw new StateStoreException(describe() + ": cannot write " + key + " (" + code(e) + ")", e);
        } catch (SdkException e) {
            throw new StateStoreException(describe() + ": cannot write " + key + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    @Override
    public void delete(String key) {
        String k = objectKey(key);
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(k));
        } catch (AwsServiceException e) {
            if (e.statusCode() != 404) {
                throw new StateStoreException(describe() + ": cannot delete " + key + " (" + code(e) + ")", e);
            }
        } catch (SdkException e) {
            throw new StateStoreException(describe() + ": cannot delete " + key + " (" + e.getClass().getSimpleName()
                    + ")", e);
        }
    }

    /** A HEAD request: the ETag without the bytes. */
    @Override
    public Optional<String> version(String key) {
        String k = objectKey(key);
        try {
            return Optional.of(s3.headObject(r -> r.bucket(bucket).key(k)).eTag());
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new StateStoreException(describe() + ": cannot read " + key + " (" + code(e) + ")", e);
        } catch (SdkException e) {
            throw new StateStoreException(describe() + ": cannot read " + key + " (" + e.getClass().getSimpleName()
                    + ")", e);
        }
    }

    @Override
    public List<String> list(String keyPrefix) {
        String p = prefix + (keyPrefix == null ? "" : keyPrefix);
        try {
            return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(p)).contents().stream()
                    .map(S3Object::key).map(k -> k.substring(prefix.length())).sorted().toList();
        } catch (SdkException e) {
            throw new StateStoreException(describe() + ": cannot list " + keyPrefix, e);
        }
    }

    @Override
    public String describe() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
    }

    private static String code(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                ? e.awsErrorDetails().errorCode() : "HTTP " + e.statusCode();
    }
}
