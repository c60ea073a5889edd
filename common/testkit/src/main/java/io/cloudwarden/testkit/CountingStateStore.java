package io.cloudwarden.testkit;

import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StoredObject;
import io.cloudwarden.engine.spi.StoredStream;
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
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> read = new ConcurrentHashMap<>();

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

    /**
     * Calls made to the store since creation or the last {@link #reset()}, by operation ({@code get}, {@code put},
     * {@code delete}, {@code version}, {@code list}), sorted: what a use case reads and writes besides its bytes.
     */
    public Map<String, Long> calls() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Objects read ({@code get}) per key since creation or the last {@link #reset()}, sorted by key. */
    public Map<String, Long> read() {
        Map<String, Long> out = new TreeMap<>();
        read.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Forgets the counts (not the stored objects). */
    public void reset() {
        written.clear();
        calls.clear();
        read.clear();
    }

    private void count(String operation) {
        calls.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public Optional<StoredObject> get(String key) {
        count("get");
        read.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        return delegate.get(key);
    }

    @Override
    public String put(String key, byte[] data, Precondition precondition) {
        count("put");
        String version = delegate.put(key, data, precondition);
        written.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(data.length);
        return version;
    }

    /** Counted as a {@code get} of {@code key} (a read of the object), streamed by the wrapped store. */
    @Override
    public Optional<StoredStream> open(String key) {
        count("get");
        read.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        return delegate.open(key);
    }

    /** Counted as a {@code put} with the bytes {@code content} wrote, streamed by the wrapped store. */
    @Override
    public String putStream(String key, Content content, Precondition precondition) {
        count("put");
        long[] bytes = {0};
        String version = delegate.putStream(key, out -> {
            content.writeTo(new java.io.FilterOutputStream(out) {
                @Override
                public void write(int b) throws java.io.IOException {
                    out.write(b);
                    bytes[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws java.io.IOException {
                    out.write(b, off, len);
                    bytes[0] += len;
                }

                @Override
                public void close() throws java.io.IOException {
                    flush(); // the wrapped store closes its own stream
                }
            });
        }, precondition);
        written.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(bytes[0]);
        return version;
    }

    @Override
    public void delete(String key) {
        count("delete");
        delegate.delete(key);
    }

    @Override
    public Optional<String> version(String key) {
        count("version");
        return delegate.version(key);
    }

    @Override
    public List<String> list(String prefix) {
        count("list");
        return delegate.list(prefix);
    }

    @Override
    public <T> T group(java.util.function.Supplier<T> work) {
        count("group");
        return delegate.group(work);
    }

    @Override
    public void sync() {
        delegate.sync();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }
}
