package io.cloudwarden.provider.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the AWS provider knows about one normalized type, declared once, in the type's package
 * ({@code storage/bucket/StorageBucket}, …) and listed once in {@link AwsProvider#TYPES}. The descriptor list, the
 * event parser's routing, the EventBridge subscriptions in {@code infra/aws/events.tf} (checked by
 * {@code tests/integration} {@code EventTriggersTest}), the scanner policy (generated from the descriptors' read
 * permissions) and the Terraform types the baseline mapper accepts all derive from these declarations.
 */
public interface AwsType {
    /** Normalized type, native type, scope, capabilities, read permissions, collector and normalizer. */
    ResourceDescriptor descriptor();

    /** The CloudTrail calls that create, change or delete a resource of this type. */
    List<Call> cloudTrailCalls();

    /**
     * The ids (in the collector's form) a successful call of {@link #cloudTrailCalls()} names.
     *
     * @throws io.cloudwarden.engine.spi.EventParseException naming the JSON pointer of a missing id
     */
    List<String> idsOf(CallContext call);

    /**
     * The id an AWS Config configuration item names, or empty when AWS Config does not record this type (then no
     * Config rule subscribes to it).
     */
    Optional<String> idOfConfigItem(JsonNode item, String account, String region);

    /** The remediators of this type (their action ids start with the type). */
    default List<io.cloudwarden.engine.spi.Remediator> remediators() {
        return List.of();
    }

    /** Whether events carry the {@code global} region (IAM) rather than the event's region. */
    default boolean global() {
        return false;
    }

    /** The Terraform resource types mapped into this type (the resource itself first, then the folded pieces). */
    Set<String> terraformTypes();

    /**
     * How Terraform imports an observed resource of this type: the resource type and the import id in the form of the
     * hashicorp/aws provider's documentation (its "Import" section, cited by each implementation).
     */
    io.cloudwarden.engine.spi.TerraformImport terraformImport(io.cloudwarden.model.Resource observed);

    /**
     * Which Terraform argument declares each normalized attribute (JSON pointer of the top-level attribute →
     * argument), for the "changed outside Terraform" comments of {@code codify}.
     */
    default java.util.Map<String, String> terraformAttributes() {
        return java.util.Map.of();
    }

    /** The part of an ARN or id after the last {@code /} (or the whole id when it has none). */
    static String lastSegment(String id) {
        int i = id.lastIndexOf('/');
        return i >= 0 ? id.substring(i + 1) : id;
    }

    /**
     * One CloudTrail call: {@code eventSource} (e.g. {@code s3.amazonaws.com}), {@code eventName}, and whether it
     * deletes the resource.
     */
    record Call(String source, String name, boolean deletes) {
        public static List<Call> changes(String source, String... names) {
            return java.util.Arrays.stream(names).map(n -> new Call(source, n, false)).toList();
        }

        public static Call deletion(String source, String name) {
            return new Call(source, name, true);
        }

        /** {@code eventSource/eventName}, the key EventBridge rules match on. */
        public String key() {
            return source + "/" + name;
        }
    }

    /** What a type needs from one CloudTrail record to name the resources it changed. */
    record CallContext(String eventName, String account, String region, JsonNode request, JsonNode response) {
    }
}
