package io.cloudwarden.functions;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.engine.state.FileSystemStateStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** Opens the state store a location names: a directory (the embedded default) or a cloud object-store URI. */
public final class StateStores {
    private StateStores() {
    }

    public static StateStore open(String location, ProviderRegistry registry, CoreConfig config) {
        if (location.matches("^[a-z][a-z0-9+.-]*://.*") && !location.startsWith("file:")) {
            URI uri = URI.create(location);
            for (CloudProvider p : registry.providers()) {
                Optional<StateStore> s = p.stateStore(uri, config.provider(p.cloud()));
                if (s.isPresent()) {
                    return s.get();
                }
            }
            throw new ConfigException("cloudwarden.state", "a directory or an s3://, azblob:// or gs:// location of a"
                    + " registered provider", location);
        }
        Path dir = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        return new FileSystemStateStore(dir);
    }
}
