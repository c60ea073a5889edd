package io.cloudwarden.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.spi.EventParser;
import io.cloudwarden.engine.spi.ParsedEvents;
import io.cloudwarden.engine.spi.ResourceDescriptor;
import io.cloudwarden.it.infra.Hcl.Block;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import io.cloudwarden.provider.aws.events.CloudTrailEventParser;
import io.cloudwarden.provider.azure.events.EventGridEventParser;
import io.cloudwarden.provider.gcp.events.AuditLogEventParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cloud-event subscriptions in {@code infra/} deliver what the event parsers act on: the AWS rules list exactly
 * the CloudTrail calls the parser handles, and every Azure filter value and GCP audit-log method, fed through its
 * parser as a real envelope, becomes a resource event. Each normalized type a provider collects is reachable by
 * some event.
 */
class EventTriggersTest {
    private static final ProviderRegistry REGISTRY = ProviderRegistry.discover();

    /** {@code infra/<cloud>/triggers.json}, which the cloud's Terraform reads into its locals. */
    private static JsonNode triggers(String cloud) {
        try {
            return ModelJson.mapper().readTree(Hcl.REPO.resolve("infra/" + cloud + "/triggers.json").toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @ParameterizedTest(name = "infra/{0} reads its subscription lists from triggers.json")
    @ValueSource(strings = {"aws", "azure", "gcp"})
    void terraformReadsTheGeneratedTriggerLists(String cloud) {
        Map<String, String> locals = Hcl.locals(cloud);

        assertThat(locals.get("triggers")).isEqualTo("jsondecode(file(\"${path.module}/triggers.json\"))");
        triggers(cloud).fieldNames().forEachRemaining(field -> {
            if (!field.equals("//")) {
                assertThat(locals.get(field)).as("local.%s of infra/%s", field, cloud)
                        .isEqualTo("local.triggers." + field);
            }
        });
    }

    @Test
    void awsRulesListExactlyTheCloudTrailCallsTheParserHandles() {
        JsonNode map = triggers("aws").path("cloudtrail_events");
        Set<String> subscribed = new TreeSet<>();
        map.fieldNames().forEachRemaining(source ->
                strings(map.get(source)).forEach(name -> subscribed.add(source + "/" + name)));

        assertThat(subscribed).as("infra/aws local.cloudtrail_events (eventSource/eventName) must equal "
                + "CloudTrailEventParser.handledEventNames()")
                .containsExactlyInAnyOrderElementsOf(CloudTrailEventParser.handledEventNames());
    }

    @Test
    void awsRulesMatchTheDetailTypesTheParserReads() {
        Block cloudtrail = rule("cloudtrail");
        Block config = rule("config");

        assertThat(cloudtrail.attribute("for_each")).isEqualTo("local.cloudtrail_events");
        assertThat(Hcl.strings(cloudtrail.attribute("event_pattern"))).contains(CloudTrailEventParser.CLOUDTRAIL);
        assertThat(cloudtrail.attribute("event_pattern")).contains("eventSource = [each.key]")
                .contains("eventName   = each.value");
        assertThat(Hcl.strings(config.attribute("event_pattern"))).contains(CloudTrailEventParser.CONFIG, "aws.config");
        assertThat(config.attribute("event_pattern")).contains("resourceType = local.config_resource_types");
    }

    @Test
    void awsConfigRuleCoversEveryCollectedTypeConfigRecords() {
        List<String> subscribed = strings(triggers("aws").path("config_resource_types"));
        EventParser parser = REGISTRY.eventParsers(Cloud.AWS).get(0);

        for (String type : subscribed) {
            ParsedEvents parsed = parser.parse(configItemChange(type));
            assertThat(parsed.events()).as("Config change of %s: %s", type, parsed.ignored()).hasSize(1);
        }
        Set<String> handled = new TreeSet<>();
        for (ResourceDescriptor d : REGISTRY.require(Cloud.AWS).descriptors()) {
            if (!parser.parse(configItemChange(d.nativeType())).events().isEmpty()) {
                handled.add(d.nativeType());
            }
        }
        assertThat(subscribed).as("infra/aws local.config_resource_types").containsExactlyInAnyOrderElementsOf(handled);
    }

    @Test
    void awsScheduleSendsTheTickTheScheduleHandlerReads() {
        Map<String, String> target = Hcl.attributes(Hcl.blocks("aws", "aws_scheduler_schedule").get(0)
                .nested("target").get(0));

        assertThat(target.get("arn")).isEqualTo("aws_lambda_alias.live[\"schedule\"].arn");
        assertThat(target.get("input")).contains("job ", "scheduledTime = \"<aws.scheduler.scheduled-time>\"");
    }

    private static Block rule(String name) {
        return Hcl.blocks("aws", "aws_cloudwatch_event_rule").stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow();
    }

    /** An EventBridge "Config Configuration Item Change" envelope, as AWS Config delivers it. */
    private static JsonNode configItemChange(String resourceType) {
        ObjectNode e = ModelJson.mapper().createObjectNode();
        e.put("version", "0").put("id", "9b1d3f57-8a0c-4e2f-8b6d-7c9e1a3d5f8b")
                .put("detail-type", "Config Configuration Item Change").put("source", "aws.config")
                .put("account", "111122223333").put("time", "2026-11-23T10:01:44Z").put("region", "us-east-1");
        e.putArray("resources");
        ObjectNode detail = e.putObject("detail");
        detail.put("recordVersion", "1.3").put("messageType", "ConfigurationItemChangeNotification");
        detail.putObject("configurationItemDiff").put("changeType", "UPDATE");
        ObjectNode item = detail.putObject("configurationItem");
        item.put("resourceType", resourceType).put("resourceId", "r-0a1b2c3d").put("resourceName", "cw-demo")
                .put("awsAccountId", "111122223333").put("awsRegion", "us-east-1")
                .put("configurationItemStatus", "OK").put("configurationItemCaptureTime", "2026-11-23T10:01:40.123Z");
        return e;
    }

    @Test
    void azureSubscriptionDeliversTheHandledArmEventsOfTrackedTypesOnly() {
        List<String> eventTypes = strings(triggers("azure").path("handled_event_types"));
        List<String> fragments = strings(triggers("azure").path("handled_subject_fragments"));
        Block subscription = Hcl.blocks("azure", "azurerm_eventgrid_system_topic_event_subscription").get(0);
        EventGridEventParser parser = new EventGridEventParser();

        assertThat(subscription.attribute("included_event_types")).isEqualTo("local.handled_event_types");
        assertThat(subscription.body()).contains("values = local.handled_subject_fragments");
        assertThat(eventTypes).containsExactlyInAnyOrder("Microsoft.Resources.ResourceWriteSuccess",
                "Microsoft.Resources.ResourceDeleteSuccess", "Microsoft.Resources.ResourceActionSuccess");
        Set<String> reached = new TreeSet<>();
        for (String type : eventTypes) {
            for (String fragment : fragments) {
                String uri = "/subscriptions/5f1c9a2e-3b7d-4e8f-9a01-23456789abcd/resourceGroups/rg-prod" + fragment
                        + "cwdemo" + (fragment.contains("KeyVault") ? "/keys/signing" : "");
                ParsedEvents parsed = parser.parse(armEvent(type, uri));
                assertThat(parsed.events()).as("%s on %s: %s", type, uri, parsed.ignored()).hasSize(1);
                reached.add(parsed.events().get(0).type());
            }
        }
        // Entra users and app credentials live in Microsoft Graph, not ARM: no Event Grid ARM event names them, so
        // they are kept current by the schedule's full scan.
        Set<String> armTypes = types(Cloud.AZURE);
        armTypes.removeAll(Set.of("identity.user", "identity.key"));
        // scale sets (compute.group) are seen by scans only, as Auto Scaling groups on AWS (AzureType ComputeGroup)
        armTypes.remove("compute.group");
        assertThat(reached).as("normalized types reachable through the Azure subscription")
                .containsExactlyInAnyOrderElementsOf(armTypes);
        assertThat(parser.parse(armEvent("Microsoft.Resources.ResourceWriteFailure",
                "/subscriptions/5f1c9a2e-3b7d-4e8f-9a01-23456789abcd/resourceGroups/rg/providers/Microsoft.Storage/"
                        + "storageAccounts/x")).events()).as("a failure is not worth delivering").isEmpty();
    }

    /** An Event Grid schema ARM event, as the system topic delivers it (an array of one). */
    private static JsonNode armEvent(String type, String resourceUri) {
        ObjectNode e = ModelJson.mapper().createObjectNode();
        e.put("topic", "/subscriptions/5f1c9a2e-3b7d-4e8f-9a01-23456789abcd").put("subject", resourceUri)
                .put("eventType", type).put("id", "b3c2a1d0-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
                .put("eventTime", "2026-11-23T10:02:11.3401871Z").put("dataVersion", "2").put("metadataVersion", "1");
        ObjectNode data = e.putObject("data");
        data.put("resourceProvider", resourceUri.replaceAll(".*/providers/([^/]+)/.*", "$1"))
                .put("resourceUri", resourceUri).put("operationName", "Microsoft.Storage/storageAccounts/write")
                .put("status", "Succeeded").put("subscriptionId", "5f1c9a2e-3b7d-4e8f-9a01-23456789abcd")
                .put("tenantId", "72f988bf-86f1-41af-91ab-2d7cd011db47");
        data.putObject("claims").put("http://schemas.microsoft.com/identity/claims/objectidentifier",
                "0c9e5a43-5f32-4d0a-9f43-2b8d7a6e1c11");
        return ModelJson.mapper().createArrayNode().add(e);
    }

    @Test
    void gcpTriggersAreAuditLogMethodsTheParserActsOn() {
        JsonNode methods = triggers("gcp").path("audit_method_list");
        Block trigger = Hcl.blocks("gcp", "google_eventarc_trigger").get(0);
        AuditLogEventParser parser = new AuditLogEventParser();

        assertThat(trigger.attribute("for_each")).isEqualTo("local.audit_methods");
        assertThat(trigger.body()).contains("value     = \"" + AuditLogEventParser.AUDIT_TYPE + "\"");
        Set<String> reached = new TreeSet<>();
        List<String> all = new ArrayList<>();
        for (String service : (Iterable<String>) methods::fieldNames) {
            for (String method : strings(methods.get(service))) {
                all.add(method);
                ParsedEvents parsed = parser.parse(auditLogEvent(service, method));
                assertThat(parsed.events()).as("%s %s: %s", service, method, parsed.ignored()).hasSize(1);
                reached.add(parsed.events().get(0).type());
            }
        }
        assertThat(all).doesNotHaveDuplicates();
        // managed instance groups (compute.group) are seen by scans only, as on AWS and Azure (GcpType ComputeGroup)
        Set<String> gcpTypes = types(Cloud.GCP);
        gcpTypes.remove("compute.group");
        assertThat(reached).as("normalized types reachable through the Eventarc triggers")
                .containsExactlyInAnyOrderElementsOf(gcpTypes);
    }

    /** An Eventarc structured-mode CloudEvent carrying a Cloud Audit Log entry of {@code method}. */
    private static JsonNode auditLogEvent(String service, String method) {
        String resource = switch (service) {
            case "storage.googleapis.com" -> "projects/_/buckets/cw-demo-public-assets";
            case "compute.googleapis.com" -> method.contains("firewalls")
                    ? "projects/cw-demo-prod/global/firewalls/allow-ssh"
                    : "projects/cw-demo-prod/zones/europe-west1-b/instances/web-1";
            case "iam.googleapis.com" -> method.endsWith("Key")
                    ? "projects/cw-demo-prod/serviceAccounts/112233445566778899001/keys/4f1e2d3c4b5a69788776"
                    : "projects/cw-demo-prod/serviceAccounts/112233445566778899001";
            case "cloudkms.googleapis.com" -> "projects/cw-demo-prod/locations/europe-west1/keyRings/app/cryptoKeys/"
                    + "data" + (method.contains("Version") ? "/cryptoKeyVersions/3" : "");
            default -> throw new IllegalArgumentException("no fixture for " + service);
        };
        ObjectNode ce = ModelJson.mapper().createObjectNode();
        ce.put("specversion", "1.0").put("id", "projects/cw-demo-prod/logs/cloudaudit.googleapis.com%2Factivity1x9v")
                .put("source", "//cloudaudit.googleapis.com/projects/cw-demo-prod/logs/activity")
                .put("type", AuditLogEventParser.AUDIT_TYPE).put("time", "2026-11-23T09:41:07.219823Z")
                .put("datacontenttype", "application/json; charset=utf-8").put("methodname", method)
                .put("servicename", service).put("resourcename", resource);
        ObjectNode entry = ce.putObject("data");
        ObjectNode p = entry.putObject("protoPayload");
        p.put("@type", "type.googleapis.com/google.cloud.audit.AuditLog").putObject("status");
        p.putObject("authenticationInfo").put("principalEmail", "alice@example.com");
        p.put("serviceName", service).put("methodName", method).put("resourceName", resource);
        entry.put("insertId", "1x9v8kqe4m2c");
        entry.putObject("resource").putObject("labels").put("project_id", "cw-demo-prod");
        entry.put("timestamp", "2026-11-23T09:41:07.219823Z").put("severity", "NOTICE")
                .put("logName", "projects/cw-demo-prod/logs/cloudaudit.googleapis.com%2Factivity");
        entry.putObject("operation").put("id", "operation-1763890867").put("producer", service)
                .put("last", true);
        return ce;
    }

    private static Set<String> types(Cloud cloud) {
        return REGISTRY.require(cloud).descriptors().stream().map(ResourceDescriptor::type)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
