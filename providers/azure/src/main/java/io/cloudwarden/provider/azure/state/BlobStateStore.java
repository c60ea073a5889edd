package io.cloudwarden.provider.azure.state;

import com.azure.core.credential.AzureSasCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobDownloadContentResponse;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StateStoreException;
import io.cloudwarden.engine.spi.StoredObject;
import io.cloudwarden.engine.spi.StoredStream;
import io.cloudwarden.engine.state.SpooledContent;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link StateStore} on Azure Blob Storage with ETag conditions: IF_ABSENT sends {@code If-None-Match: *},
 * IF_MATCH sends {@code If-Match: <etag>}; 412 (ConditionNotMet) and 409 (BlobAlreadyExists) become
 * {@link PreconditionFailedException}. Each put is one Put Blob request, which commits atomically.
 *
 * <p>Locations: {@code azblob://ACCOUNT/CONTAINER[/PREFIX]} (endpoint {@code https://ACCOUNT.blob.core.windows.net},
 * or setting {@code blobEndpoint}, e.g. Azurite's {@code http://127.0.0.1:10000/devstoreaccount1}), or a URL
 * {@code https://ACCOUNT.blob.core.windows.net/CONTAINER[/PREFIX]}; for a URL whose host is an IP address or
 * {@code localhost} (Azurite) the account is the first path segment (path-style). Credentials: setting
 * {@code storageAccountKey} (shared key), else {@code storageSasToken}, else the provider's token credential.
 *
 * <p>Streamed reads ({@link #open}) use the SDK's blob input stream, which reads in ranges pinned to the ETag of its
 * first response ({@code ConsistentReadControl.ETAG}): the version handed out is that ETag, and a blob replaced
 * while it is read makes the read fail rather than mix two versions. Streamed writes ({@link #putStream}) are
 * spooled to a temp file and uploaded with its length under the same conditions as {@link #put}: one Put Blob up to
 * the SDK's single-upload size (256 MiB), above it staged blocks committed by one conditional Put Block List, which
 * also replaces the blob atomically ({@link SpooledContent} says why a file).
 */
public final class BlobStateStore implements StateStore {
    private final BlobContainerClient container;
    private final String prefix;
    private final String description;

    public BlobStateStore(BlobContainerClient container, String prefix, String description) {
        this.container = container;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        this.description = description;
    }

    /** Location parts: the service endpoint, the account name, the container and the key prefix. */
    record Location(String endpoint, String account, String container, String prefix) {
    }

    static Location parse(URI location, ProviderConfig config) {
        String scheme = location.getScheme() == null ? "" : location.getScheme().toLowerCase(java.util.Locale.ROOT);
        List<String> segments = new ArrayList<>();
        for (String s : (location.getPath() == null ? "" : location.getPath()).split("/")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        String endpoint;
        String account;
        if (scheme.equals("azblob")) {
            account = location.getHost();
            if (account == null || account.isEmpty()) {
                throw new IllegalArgumentException("state location " + location
                        + ": expected azblob://ACCOUNT/CONTAINER[/PREFIX]");
            }
            endpoint = config.setting("blobEndpoint").orElse("https://" + account + ".blob.core.windows.net");
        } else if (scheme.equals("https") || scheme.equals("http")) {
            String host = location.getHost() == null ? "" : location.getHost();
            String origin = scheme + "://" + host + (location.getPort() > 0 ? ":" + location.getPort() : "");
            if (host.equals("localhost") || host.matches("[0-9.]+") || host.startsWith("[")) {
                if (segments.isEmpty()) {
                    throw new IllegalArgumentException("state location " + location
                            + ": expected http(s)://HOST:PORT/ACCOUNT/CONTAINER[/PREFIX] for a path-style endpoint");
                }
                account = segments.remove(0);
                endpoint = origin + "/" + account;
            } else {
                account = host.split("\\.")[0];
                endpoint = origin;
            }
        } else {
            throw new IllegalArgumentException("state location " + location
                    + ": expected an azblob:// or https:// blob location");
        }
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("state location " + location + ": expected a container name");
        }
        String container = segments.remove(0);
        return new Location(endpoint, account, container, String.join("/", segments));
    }

    /** Opens a store for a location, authenticating as documented on the class. */
    public static BlobStateStore open(URI location, ProviderConfig config, TokenCredential fallback) {
        Location loc = parse(location, config);
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder().endpoint(loc.endpoint());
        Optional<String> key = config.setting("storageAccountKey");
        Optional<String> sas = config.setting("storageSasToken");
        if (key.isPresent()) {
            builder.credential(new StorageSharedKeyCredential(loc.account(), key.get()));
        } else if (sas.isPresent()) {
            builder.credential(new AzureSasCredential(sas.get()));
        } else {
            builder.credential(fallback);
        }
        BlobContainerClient container = builder.buildClient().getBlobContainerClient(loc.container());
        return new BlobStateStore(container, loc.prefix(), "azblob://" + loc.account() + "/" + loc.container()
                + (loc.prefix().isEmpty() ? "" : "/" + loc.prefix()));
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return read(key, blob -> {
            BlobDownloadContentResponse r = blob.downloadContentWithResponse(null, null, null, null);
            return new StoredObject(key, r.getValue().toBytes(), r.getDeserializedHeaders().getETag());
        });
    }

    @Override
    public Optional<StoredStream> open(String key) {
        return read(key, blob -> {
            com.azure.storage.blob.specialized.BlobInputStream in = blob.openInputStream(
                    new com.azure.storage.blob.options.BlobInputStreamOptions()
                            .setConsistentReadControl(com.azure.storage.blob.models.ConsistentReadControl.ETAG));
            return new StoredStream(key, in, in.getProperties().getETag());
        });
    }

    /** Runs one read of {@code key}: a 404 is an absent blob, any other failure a {@link StateStoreException}. */
    private <T> Optional<T> read(String key, java.util.function.Function<BlobClient, T> request) {
        BlobClient blob = container.getBlobClient(prefix + checkKey(key));
        try {
            return Optional.of(request.apply(blob));
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw new StateStoreException(describe() + ": cannot read " + key + " (HTTP " + e.getStatusCode() + " "
                    + e.getErrorCode() + ")", e);
        }
    }

    @Override
    public String put(String key, byte[] data, Precondition precondition) {
        return put(key, BinaryData.fromBytes(data), precondition);
    }

    @Override
    public String putStream(String key, Content content, Precondition precondition) {
        checkKey(key);
        try (SpooledContent spooled = SpooledContent.spool(this, key, content)) {
            return put(key, BinaryData.fromFile(spooled.file()), precondition);
        }
    }

    private String put(String key, BinaryData data, Precondition precondition) {
        BlobClient blob = container.getBlobClient(prefix + checkKey(key));
        BlobRequestConditions conditions = new BlobRequestConditions();
        switch (precondition.kind()) {
            case IF_ABSENT -> conditions.setIfNoneMatch("*");
            case IF_MATCH -> conditions.setIfMatch(precondition.version());
            case NONE -> { }
        }
        try {
            Response<BlockBlobItem> r = blob.uploadWithResponse(
                    new BlobParallelUploadOptions(data).setRequestConditions(conditions),
                    null, null);
            return r.getValue().getETag();
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 412 || e.getStatusCode() == 409
                    || BlobErrorCode.CONDITION_NOT_MET.equals(e.getErrorCode())) {
                throw new PreconditionFailedException(key, precondition.kind() == Precondition.Kind.IF_ABSENT
                        ? "already exists in " + describe() : "changed since version " + precondition.version()
                                + " in " + describe());
            }
            throw new StateStoreException(describe() + ": cannot write " + key + " (HTTP " + e.getStatusCode() + " "
                    + e.getErrorCode() + ")", e);
        }
    }

    @Override
    public void delete(String key) {
        BlobClient blob = container.getBlobClient(prefix + checkKey(key));
        try {
            blob.delete();
        } catch (BlobStorageException e) {
            if (e.getStatusCode() != 404) {
                throw new StateStoreException(describe() + ": cannot delete " + key + " (HTTP " + e.getStatusCode()
                        + " " + e.getErrorCode() + ")", e);
            }
        }
    }

    /** The blob's properties (a HEAD request): the ETag without the bytes. */
    @Override
    public Optional<String> version(String key) {
        BlobClient blob = container.getBlobClient(prefix + checkKey(key));
        try {
            return Optional.of(blob.getProperties().getETag());
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw new StateStoreException(describe() + ": cannot read " + key + " (HTTP " + e.getStatusCode() + " "
                    + e.getErrorCode() + ")", e);
        }
    }

    @Override
    public List<String> list(String keyPrefix) {
        List<String> out = new ArrayList<>();
        try {
            for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix + keyPrefix), null)) {
                out.add(item.getName().substring(prefix.length()));
            }
        } catch (BlobStorageException e) {
            throw new StateStoreException(describe() + ": cannot list " + keyPrefix + " (HTTP " + e.getStatusCode()
                    + " " + e.getErrorCode() + ")", e);
        }
        out.sort(null);
        return out;
    }

    @Override
    public String describe() {
        return description;
    }

    private static String checkKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.contains("..")) {
            throw new IllegalArgumentException("key: expected a relative /-separated path but was '" + key + "'");
        }
        return key;
    }
}
