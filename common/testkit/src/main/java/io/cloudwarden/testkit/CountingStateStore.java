package io.cloudwarden.testkit;

import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StoredObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A state store that counts the bytes written per key and otherwise passes every call to the store it wraps: how
 * tests and benchmarks measure what one use case writes to state. Thread-safe as far as the wrapped store is.
 */
public final class CountingStateStore implements StateStore {
    private final StateStore delegate;
    private final Map<String, AtomicLong> written = new ConcurrentHashMap<>();

    public CountingStateStore(StateStore delegate) {
        this.delegate = delegate;
    }

    /** Bytes written per key since creation or the last {@link #reset()}, sorted by key. */
    public Map<String, Long> written() {
        Map<String, Long> out = new TreeMap<>();
        written.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Bytes written to all keys. */
    public long total() {
        return written.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Forgets the counts (not the stored objects). */
    public void reset() {
        written.clear();
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return delegate.get(key);
    }

    @Override
    public String put(String key, byte[] data, Precondition precondition) {
        String version = delegate.put(key, data, precondition);
        written.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(data.length);
        return version;
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }

    @Override
    public Optional<String> version(String key) {
        return delegate.version(key);
    }

    @Override
    public List<String> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public String describe() {
        return delegate.describe();
    }
}
