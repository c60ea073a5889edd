package io.cloudwarden.testkit;

import io.cloudwarden.engine.spi.Precondition;
import io.cloudwarden.engine.spi.PreconditionFailedException;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.spi.StoredObject;
import io.cloudwarden.model.Hashing;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A {@link StateStore} in memory with the same conditional-write semantics as the real ones. For tests. */
public final class InMemoryStateStore implements StateStore {
    private final Map<String, StoredObject> objects = new ConcurrentSkipListMap<>();

    @Override
    public Optional<StoredObject> get(String key) {
        return Optional.ofNullable(objects.get(key));
    }

    @Override
    public synchronized String put(String key, byte[] data, Precondition precondition) {
        StoredObject current = objects.get(key);
        switch (precondition.kind()) {
            case IF_ABSENT -> {
                if (current != null) {
                    throw new PreconditionFailedException(key, "already exists");
                }
            }
            case IF_MATCH -> {
                if (current == null || !current.version().equals(precondition.version())) {
                    throw new PreconditionFailedException(key, "version changed");
                }
            }
            default -> {
            }
        }
        String version = Hashing.sha256Hex(data);
        objects.put(key, new StoredObject(key, data.clone(), version));
        return version;
    }

    @Override
    public synchronized void delete(String key) {
        objects.remove(key);
    }

    @Override
    public List<String> list(String prefix) {
        return objects.keySet().stream().filter(k -> k.startsWith(prefix)).sorted().toList();
    }

    @Override
    public String describe() {
        return "memory:";
    }
}
