package io.cloudwarden.provider.azure;

import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the Azure provider knows about one normalized type, declared once, in the type's package
 * ({@code storage/bucket/StorageBucket}, …) and listed once in {@link AzureProvider#TYPES}; the Azure counterpart of
 * the AWS provider's {@code AwsType} and the GCP provider's {@code GcpType}, with the same words. The descriptor list,
 * the Event Grid parser's routing, the Event Grid subscription's subject filter in {@code infra/azure} (generated,
 * checked by {@code tests/integration} {@code EventTriggersTest}), the scanner role (generated from the descriptors'
 * read permissions), the remediator list and the Terraform types the baseline mapper accepts derive from these.
 */
public interface AzureType {
    /** Normalized type, native type, scope, capabilities, read permissions, collector and normalizer. */
    ResourceDescriptor descriptor();

    /**
     * The ARM resource types ({@code Namespace/type}, e.g. {@code Microsoft.Storage/storageAccounts}) whose Event
     * Grid events (on the resource or one of its children) concern this type. Empty for the Entra ID types: they
     * live in Microsoft Graph, which sends no ARM events, so the schedule's scan keeps them current.
     */
    List<String> armResourceTypes();

    /**
     * The resource of this type an ARM event on {@code resource} names, or empty when the event is not about one
     * (e.g. an event on a Key Vault itself rather than one of its keys). By default the top-level resource, which
     * the event names directly unless it is about a child (a blob container, an NSG rule, a VM extension).
     */
    default Optional<Target> idOf(ArmResource resource) {
        return Optional.of(new Target(resource.top(), resource.isTop()));
    }

    /** The remediators of this type (their action ids start with the type). */
    default List<Remediator> remediators() {
        return List.of();
    }

    /** The Terraform resource types mapped into this type (the resource itself first, then the folded pieces). */
    Set<String> terraformTypes();

    /** The id of the resource an event names; {@code self} = the event is about that resource, not a child. */
    record Target(String id, boolean self) {
    }

    /**
     * An ARM resource id split at its {@code providers} segment: {@code .../providers/NS/type/name[/child/name...]}.
     */
    record ArmResource(String id, List<String> parts, int providers) {
        /** The id split into segments, or empty when it names no provider resource. */
        public static Optional<ArmResource> parse(String id) {
            List<String> parts = Arrays.asList(id.split("/"));
            for (int i = 0; i < parts.size(); i++) {
                if (parts.get(i).equalsIgnoreCase("providers")) {
                    return i + 3 < parts.size() ? Optional.of(new ArmResource(id, List.copyOf(parts), i))
                            : Optional.empty();
                }
            }
            return Optional.empty();
        }

        /** {@code namespace/type} of the top-level resource, lower-cased (ARM compares them case-insensitively). */
        public String armType() {
            return (parts.get(providers + 1) + "/" + parts.get(providers + 2)).toLowerCase(Locale.ROOT);
        }

        /** The id of the top-level resource (up to its name). */
        public String top() {
            return String.join("/", parts.subList(0, providers + 4));
        }

        public boolean isTop() {
            return parts.size() == providers + 4;
        }

        /** The child {@code childType/name} directly under the top-level resource, when the id names one. */
        public Optional<Target> child(String childType) {
            int at = providers + 4;
            if (parts.size() >= at + 2 && parts.get(at).equalsIgnoreCase(childType)) {
                return Optional.of(new Target(String.join("/", parts.subList(0, at + 2)), parts.size() == at + 2));
            }
            return Optional.empty();
        }
    }
}
