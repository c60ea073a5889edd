package io.cloudwarden.engine;

import io.cloudwarden.engine.spi.BaselineMapper;
import io.cloudwarden.engine.spi.CloudProvider;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ResourceTypes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The registered cloud providers, validated once at start-up: one provider per cloud, descriptor types unique per
 * cloud and known to the model, remediator action ids unique per cloud and acting on known types, every descriptor
 * and remediator declaring its permissions, and no type both supported and declared unsupported.
 */
public final class ProviderRegistry {
    private final Map<Cloud, CloudProvider> providers;

    private ProviderRegistry(Map<Cloud, CloudProvider> providers) {
        this.providers = providers;
    }

    /** Providers found on the class path by {@link ServiceLoader}. */
    public static ProviderRegistry discover() {
        List<CloudProvider> found = new ArrayList<>();
        ServiceLoader.load(CloudProvider.class).forEach(found::add);
        return of(found);
    }

    /** Validates and registers the given providers. @throws RegistryException on an invalid registration */
    public static ProviderRegistry of(Collection<? extends CloudProvider> list) {
        Map<Cloud, CloudProvider> map = new EnumMap<>(Cloud.class);
        for (CloudProvider p : list) {
            if (p.cloud() == null) {
                throw new RegistryException(p.getClass().getName() + ": cloud() returned null");
            }
            CloudProvider previous = map.putIfAbsent(p.cloud(), p);
            if (previous != null) {
                throw new RegistryException("two providers registered for cloud " + p.cloud() + ": "
                        + previous.getClass().getName() + " and " + p.getClass().getName());
            }
            validate(p);
        }
        return new ProviderRegistry(map);
    }

    private static void validate(CloudProvider p) {
        String who = "provider " + p.cloud() + " (" + p.getClass().getName() + ")";
        Set<String> types = new HashSet<>();
        for (ResourceDescriptor d : p.descriptors()) {
            if (!ResourceTypes.isKnown(d.type())) {
                throw new RegistryException(who + ": descriptor for unknown normalized type '" + d.type()
                        + "' (expected one of " + ResourceTypes.ALL + ")");
            }
            if (!types.add(d.type())) {
                throw new RegistryException(who + ": two descriptors for type '" + d.type() + "'");
            }
            if (d.readPermissions().isEmpty()) {
                throw new RegistryException(who + ": descriptor '" + d.type() + "' declares no read permissions");
            }
        }
        for (String unsupported : p.unsupportedTypes().keySet()) {
            if (types.contains(unsupported)) {
                throw new RegistryException(who + ": type '" + unsupported
                        + "' is both supported and declared unsupported");
            }
            if (!ResourceTypes.isKnown(unsupported)) {
                throw new RegistryException(who + ": declares unknown type '" + unsupported + "' unsupported");
            }
        }
        Set<String> actions = new HashSet<>();
        for (Remediator r : p.remediators()) {
            if (!actions.add(r.actionId())) {
                throw new RegistryException(who + ": two remediators with action id '" + r.actionId() + "'");
            }
            if (!ResourceTypes.isKnown(r.appliesTo()) && !"*".equals(r.appliesTo())) {
                throw new RegistryException(who + ": remediator '" + r.actionId() + "' applies to unknown type '"
                        + r.appliesTo() + "'");
            }
            if (r.permissions().isEmpty()) {
                throw new RegistryException(who + ": remediator '" + r.actionId() + "' declares no permissions");
            }
        }
    }

    public Collection<CloudProvider> providers() {
        return providers.values();
    }

    public Set<Cloud> clouds() {
        return providers.keySet();
    }

    public Optional<CloudProvider> provider(Cloud cloud) {
        return Optional.ofNullable(providers.get(cloud));
    }

    /** The provider for {@code cloud}. @throws RegistryException naming the available clouds when absent */
    public CloudProvider require(Cloud cloud) {
        CloudProvider p = providers.get(cloud);
        if (p == null) {
            throw new RegistryException("no provider registered for cloud " + cloud + " (registered: "
                    + providers.keySet() + ")");
        }
        return p;
    }

    public Optional<ResourceDescriptor> descriptor(Cloud cloud, String type) {
        return provider(cloud).flatMap(p -> p.descriptors().stream().filter(d -> d.type().equals(type)).findFirst());
    }

    public Optional<Remediator> remediator(Cloud cloud, String actionId) {
        return provider(cloud).flatMap(p -> p.remediators().stream()
                .filter(r -> r.actionId().equals(actionId)).findFirst());
    }

    public Map<Cloud, BaselineMapper> baselineMappers() {
        Map<Cloud, BaselineMapper> m = new EnumMap<>(Cloud.class);
        providers.forEach((c, p) -> m.put(c, p.baselineMapper()));
        return m;
    }

    public List<EventParser> eventParsers(Cloud cloud) {
        return provider(cloud).map(CloudProvider::eventParsers).orElse(List.of());
    }
}
