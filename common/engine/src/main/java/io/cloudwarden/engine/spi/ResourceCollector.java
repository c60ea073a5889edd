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
}
