package io.cloudwarden.engine.spi;

import io.cloudwarden.model.ResourceRef;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads native items of one type. Implementations use the SDK's own paginators and retry. A failure that makes the
 * whole shard unreadable is thrown as {@link ProviderException}; the pipeline records it as a ScanError.
 */
public interface ResourceCollector {
    /** Streams every item of the shard's type in the shard to {@code sink}. */
    void collect(ProviderSession session, Shard shard, Consumer<NativeItem> sink);

    /** Reads one resource by ref (event-driven runs, verify-after-apply); empty when it no longer exists. */
    Optional<NativeItem> fetch(ProviderSession session, ResourceRef ref);

    /**
     * The account the resources of {@code shard} carry, which names the scope a failed shard left unread (the
     * {@link io.cloudwarden.model.ScanError}'s account). By default the shard's own account. A collector whose
     * resources are keyed by something else returns that: the Entra collectors run on a subscription shard but key
     * users and app credentials by the tenant. Return {@code ""} when it cannot be told without calling the cloud:
     * the unread scope then covers every account of the cloud for the shard's type, so its resources read as "not
     * compared" rather than as a false "missing". Must not call the cloud (the call may be what failed).
     */
    default String resourceAccount(ProviderSession session, Shard shard) {
        return shard.account();
    }
}
