package io.cloudwarden.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Azure estate as the Azure provider reads it, in each API's wire format (served over HTTPS by
 * {@link WireEstateServer}: the SDK's bearer-token policy refuses plain HTTP). One subscription
 * ({@value #SUBSCRIPTION}), one resource group, N of each type:
 * <ul>
 * <li><b>Resource Graph</b> {@code POST /providers/Microsoft.ResourceGraph/resources}: the KQL queries of the
 * collectors (storage accounts, NSGs, VMs, Key Vault vaults, Update Manager's {@code patchassessmentresources} and
 * {@code patchinstallationresources}), pages of {@code options.$top} rows (at most 1,000, as the service) with
 * {@code $skipToken}.</li>
 * <li><b>ARM</b> reads per resource: a storage account's default blob service, its containers and the blob service's
 * diagnostic settings; a VM's NIC and (when it has one) public IP; each vault's keys (list, pages of 25 with an
 * absolute {@code nextLink} on {@code management.azure.com}, as ARM answers) and each key's GET with its
 * {@code rotationPolicy}.</li>
 * <li><b>Microsoft Graph</b> v1.0 under {@code /graph} (where the provider roots Graph under an endpoint override):
 * {@code /organization}, {@code /directoryRoles} and their {@code /members}, the MFA registration report,
 * {@code /users} (pages of 100, Graph's default), {@code /servicePrincipals} and {@code /applications} (pages of
 * {@code $top}, at most 999), all with {@code @odata.nextLink} on {@code graph.microsoft.com}.</li>
 * </ul>
 * No token endpoint: under an endpoint override without a client secret the provider sends a static bearer token
 * (providers/azure README), so a scan makes no token request here.
 *
 * <p>Planted, by index {@code i} of each type (the same shares as the AWS and GCP estates): storage account public
 * ({@code allowBlobPublicAccess} and a {@code Blob} container) when {@code i % 10 == 0}, and public access allowed
 * on the account but every container private when {@code i % 10 == 5} (not public: anonymous reads need both);
 * NSG with an inbound allow of SSH from {@code *} when {@code i % 10 == 0}; VM whose NIC has a public IP when
 * {@code i % 10 == 0}; application client secret 400 days old when {@code i % 5 == 0} (else 30 days); Key Vault key
 * without a rotation policy when {@code i % 4 == 0}; user without MFA registered when {@code i % 4 == 0}, Global
 * Administrator when {@code i % 50 == 0}, last sign-in 200 days ago when {@code i % 6 == 0}. Service principal
 * {@code i} belongs to the tenant when {@code i} is even, to another publisher when odd (the provider skips those),
 * so {@code identity.user} counts N users and ceil(N/2) service principals.
 *
 * <p>A request the estate does not know is answered 501 {@code NotServedByBenchmark} (an error the provider does not
 * retry nor read as "absent"), so a new read in a collector fails the scan instead of passing unnoticed.
 */
final class AzureEstate {
    static final String SUBSCRIPTION = "5e1c0b7a-2d3f-4a6b-9c8d-0e1f2a3b4c5d";
    static final String TENANT = "c0de0000-1111-4222-8333-444455556666";
    private static final String OTHER_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
    static final String GROUP = "rg-bench";
    static final int KEYS_PER_VAULT = 50;
    private static final int KEY_PAGE = 25;
    private static final int GRAPH_DEFAULT_PAGE = 100;
    private static final int GRAPH_MAX_PAGE = 999;
    private static final int RG_MAX_PAGE = 1000;
    private static final String[] LOCATIONS = {"westeurope", "eastus", "northeurope", "westus2"};
    static final String PREFIX = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + GROUP + "/providers/";
    private static final String JSON = "application/json; charset=utf-8";
    private static final String GLOBAL_ADMIN = "0f000000-0000-4000-8000-000000000001";
    private static final String PRIV_ROLE_ADMIN = "0f000000-0000-4000-8000-000000000002";
    private static final String SECURITY_READER = "0f000000-0000-4000-8000-000000000003";

    private static final Pattern ARM = Pattern.compile("/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/(.+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern STORAGE = Pattern.compile("Microsoft\\.Storage/storageAccounts/cwbench(\\d{6})"
            + "/blobServices/default(/containers|/providers/Microsoft\\.Insights/diagnosticSettings)?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NIC = Pattern.compile("Microsoft\\.Network/networkInterfaces/vm-(\\d{6})-nic",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PIP = Pattern.compile("Microsoft\\.Network/publicIPAddresses/vm-(\\d{6})-pip",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern KEYS = Pattern.compile("Microsoft\\.KeyVault/vaults/kv-bench-(\\d{4})/keys"
            + "(?:/key-(\\d{6}))?", Pattern.CASE_INSENSITIVE);
    private static final Pattern KQL_TYPE = Pattern.compile("type\\s*=~\\s*'([^']+)'");
    private static final Pattern MEMBERS = Pattern.compile("/directoryRoles/([^/]+)/members");

    private final int n;
    private final int vaults;
    private final Instant now;
    private final ObjectMapper mapper = new ObjectMapper();

    AzureEstate(int n, Instant now) {
        this.n = n;
        this.vaults = (n + KEYS_PER_VAULT - 1) / KEYS_PER_VAULT;
        this.now = now;
    }

    /** Whether a request path is Azure's (Resource Graph, ARM under a subscription, Microsoft Graph). */
    static boolean serves(String path) {
        return path.startsWith("/providers/Microsoft.ResourceGraph/") || path.startsWith("/subscriptions/")
                || path.startsWith("/graph/");
    }

    /** The answer to one request; {@code count} receives the operation's name once. */
    Reply serve(String method, String path, Map<String, String> q, byte[] body, Consumer<String> count) {
        if (path.startsWith("/graph/v1.0/") && method.equals("GET")) {
            return graph(path.substring("/graph/v1.0".length()), q, count);
        }
        if (path.equals("/providers/Microsoft.ResourceGraph/resources") && method.equals("POST")) {
            return resourceGraph(body, count);
        }
        Matcher m = ARM.matcher(path);
        if (method.equals("GET") && m.matches()) {
            if (!m.group(1).equalsIgnoreCase(SUBSCRIPTION)) {
                count.accept("arm:GET (no such subscription)");
                return error(404, "SubscriptionNotFound", "The subscription '" + m.group(1) + "' could not be found.");
            }
            Reply r = m.group(2).equalsIgnoreCase(GROUP) ? arm(m.group(3), q, count) : null;
            if (r != null) {
                return r;
            }
        }
        return notServed(method + " " + path, count);
    }

    // ------------------------------------------------------------------------------------------ Resource Graph

    private Reply resourceGraph(byte[] body, Consumer<String> count) {
        JsonNode req;
        try {
            req = mapper.readTree(body);
        } catch (IOException e) {
            count.accept("resourcegraph:query (malformed body)");
            return error(400, "InvalidRequestContent", "the request body is not JSON: " + e.getMessage());
        }
        String kql = req.path("query").asText("");
        String table = kql.trim().split("\\s")[0].toLowerCase(Locale.ROOT);
        Matcher t = KQL_TYPE.matcher(kql);
        String type = t.find() ? t.group(1).toLowerCase(Locale.ROOT) : "";
        int total;
        IntFunction<String> row;
        switch (table + " " + type) {
            case "resources microsoft.storage/storageaccounts" -> {
                total = n;
                row = this::storageAccount;
            }
            case "resources microsoft.network/networksecuritygroups" -> {
                total = n;
                row = this::nsg;
            }
            case "resources microsoft.compute/virtualmachines" -> {
                total = n;
                row = this::vm;
            }
            case "resources microsoft.keyvault/vaults" -> {
                total = vaults;
                row = this::vault;
            }
            case "patchassessmentresources microsoft.compute/virtualmachines/patchassessmentresults" -> {
                total = n;
                row = this::assessment;
            }
            case "patchinstallationresources microsoft.compute/virtualmachines/patchinstallationresults" -> {
                total = (n + 1) / 2;
                row = k -> installation(2 * k);
            }
            default -> {
                return notServed("resourcegraph:" + kql, count);
            }
        }
        if (kql.contains(" startswith ")) {
            // the single-resource variant (event re-reads) is not part of a scan
            return notServed("resourcegraph:" + kql, count);
        }
        count.accept("resourcegraph:" + table + (type.isEmpty() ? "" : " " + type));
        boolean ours = false;
        for (JsonNode s : req.path("subscriptions")) {
            ours |= s.asText().equalsIgnoreCase(SUBSCRIPTION);
        }
        if (!ours) {
            total = 0;
        }
        JsonNode options = req.path("options");
        int top = Math.min(RG_MAX_PAGE, options.path("$top").asInt(RG_MAX_PAGE));
        int from = AwsEstate.token(options.path("$skipToken").asText(""));
        int to = Math.min(total, from + top);
        StringBuilder b = new StringBuilder("{\"totalRecords\":").append(total).append(",\"count\":").append(to - from)
                .append(",\"resultTruncated\":\"false\",");
        if (to < total) {
            b.append("\"$skipToken\":\"").append(AwsEstate.token(to)).append("\",");
        }
        b.append("\"data\":[");
        for (int i = from; i < to; i++) {
            b.append(i > from ? "," : "").append(row.apply(i));
        }
        return ok(b.append("],\"facets\":[]}").toString());
    }

    private String storageAccount(int i) {
        String name = account(i);
        String loc = location(i);
        boolean allow = i % 10 == 0 || i % 10 == 5;
        return "{\"id\":\"" + PREFIX + "Microsoft.Storage/storageAccounts/" + name + "\",\"name\":\"" + name
                + "\",\"type\":\"microsoft.storage/storageaccounts\",\"tenantId\":\"" + TENANT + "\",\"kind\":\"StorageV2\""
                + ",\"location\":\"" + loc + "\",\"resourceGroup\":\"" + GROUP + "\",\"subscriptionId\":\"" + SUBSCRIPTION
                + "\",\"managedBy\":\"\",\"sku\":{\"name\":\"Standard_LRS\",\"tier\":\"Standard\"},\"plan\":null,"
                + "\"properties\":{\"provisioningState\":\"Succeeded\",\"creationTime\":\"" + days(i % 900)
                + "\",\"primaryLocation\":\"" + loc + "\",\"statusOfPrimary\":\"available\",\"accessTier\":\"Hot\","
                + "\"allowBlobPublicAccess\":" + allow + ",\"allowSharedKeyAccess\":true,\"minimumTlsVersion\":\""
                + (i % 7 == 3 ? "TLS1_0" : "TLS1_2") + "\",\"supportsHttpsTrafficOnly\":" + (i % 7 != 3)
                + ",\"networkAcls\":{\"bypass\":\"AzureServices\",\"defaultAction\":\"Allow\",\"ipRules\":[],"
                + "\"virtualNetworkRules\":[]},\"encryption\":{\"keySource\":\""
                + (i % 9 == 0 ? "Microsoft.Keyvault" : "Microsoft.Storage") + "\",\"requireInfrastructureEncryption\":"
                + "false,\"services\":{\"blob\":{\"enabled\":true,\"keyType\":\"Account\"}}},\"primaryEndpoints\":{"
                + "\"blob\":\"https://" + name + ".blob.core.windows.net/\"}},\"tags\":" + tags(i)
                + ",\"identity\":null,\"zones\":null,\"extendedLocation\":null}";
    }

    private String nsg(int i) {
        String id = PREFIX + "Microsoft.Network/networkSecurityGroups/nsg-" + String.format("%06d", i);
        StringBuilder rules = new StringBuilder();
        rules.append(rule(id, i % 10 == 0 ? "allow-ssh-anywhere" : "allow-ssh-bastion", 100, "Inbound", "Allow", "Tcp",
                i % 10 == 0 ? "\"sourceAddressPrefix\":\"*\"" : "\"sourceAddressPrefixes\":[\"10.0.250.0/26\"]",
                "\"destinationPortRange\":\"22\""));
        rules.append(',').append(rule(id, "allow-https", 110, "Inbound", "Allow", "Tcp",
                "\"sourceAddressPrefix\":\"" + (i % 3 == 0 ? "Internet" : "10.0.0.0/8") + "\"",
                "\"destinationPortRanges\":[\"443\",\"8443-8444\"]"));
        rules.append(',').append(rule(id, "allow-outbound-dns", 100, "Outbound", "Allow", "Udp",
                "\"sourceAddressPrefix\":\"VirtualNetwork\"", "\"destinationPortRange\":\"53\""));
        return "{\"id\":\"" + id + "\",\"name\":\"nsg-" + String.format("%06d", i) + "\",\"type\":"
                + "\"microsoft.network/networksecuritygroups\",\"tenantId\":\"" + TENANT + "\",\"kind\":\"\","
                + "\"location\":\"" + location(i) + "\",\"resourceGroup\":\"" + GROUP + "\",\"subscriptionId\":\""
                + SUBSCRIPTION + "\",\"managedBy\":\"\",\"sku\":null,\"plan\":null,\"properties\":{"
                + "\"provisioningState\":\"Succeeded\",\"resourceGuid\":\"" + guid("1a", i) + "\",\"securityRules\":["
                + rules + "],\"defaultSecurityRules\":[{\"name\":\"AllowVnetInBound\",\"id\":\"" + id
                + "/defaultSecurityRules/AllowVnetInBound\",\"type\":\"Microsoft.Network/networkSecurityGroups/"
                + "defaultSecurityRules\",\"properties\":{\"protocol\":\"*\",\"sourcePortRange\":\"*\","
                + "\"destinationPortRange\":\"*\",\"sourceAddressPrefix\":\"VirtualNetwork\",\"destinationAddressPrefix\":"
                + "\"VirtualNetwork\",\"access\":\"Allow\",\"priority\":65000,\"direction\":\"Inbound\"}}]},\"tags\":"
                + tags(i) + ",\"identity\":null,\"zones\":null,\"extendedLocation\":null}";
    }

    private static String rule(String nsg, String name, int priority, String direction, String access,
            String protocol, String source, String ports) {
        return "{\"name\":\"" + name + "\",\"id\":\"" + nsg + "/securityRules/" + name + "\",\"etag\":\"W/\\\"1\\\"\","
                + "\"type\":\"Microsoft.Network/networkSecurityGroups/securityRules\",\"properties\":{"
                + "\"provisioningState\":\"Succeeded\",\"protocol\":\"" + protocol + "\",\"sourcePortRange\":\"*\","
                + source + "," + ports + ",\"destinationAddressPrefix\":\"*\",\"access\":\"" + access
                + "\",\"priority\":" + priority + ",\"direction\":\"" + direction + "\"}}";
    }

    private String vm(int i) {
        String name = vmName(i);
        String id = vmId(i);
        return "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"type\":\"microsoft.compute/virtualmachines\","
                + "\"tenantId\":\"" + TENANT + "\",\"kind\":\"\",\"location\":\"" + location(i) + "\",\"resourceGroup\":\""
                + GROUP + "\",\"subscriptionId\":\"" + SUBSCRIPTION + "\",\"managedBy\":\"\",\"sku\":null,\"plan\":null,"
                + "\"properties\":{\"vmId\":\"" + guid("2b", i) + "\",\"provisioningState\":\"Succeeded\","
                + "\"hardwareProfile\":{\"vmSize\":\"Standard_B2s\"},\"storageProfile\":{\"imageReference\":{"
                + "\"publisher\":\"Canonical\",\"offer\":\"0001-com-ubuntu-server-jammy\",\"sku\":\"22_04-lts-gen2\","
                + "\"version\":\"latest\"},\"osDisk\":{\"osType\":\"Linux\",\"name\":\"" + name + "_OsDisk\","
                + "\"createOption\":\"FromImage\",\"caching\":\"ReadWrite\",\"managedDisk\":{\"storageAccountType\":"
                + "\"Premium_LRS\",\"id\":\"" + PREFIX + "Microsoft.Compute/disks/" + name + "_OsDisk\"},"
                + "\"diskSizeGB\":30},\"dataDisks\":[]},\"osProfile\":{\"computerName\":\"" + name + "\","
                + "\"adminUsername\":\"azureuser\",\"linuxConfiguration\":{\"disablePasswordAuthentication\":true,"
                + "\"provisionVMAgent\":true,\"patchSettings\":{\"patchMode\":\"AutomaticByPlatform\",\"assessmentMode\":"
                + "\"AutomaticByPlatform\"}},\"secrets\":[]},\"networkProfile\":{\"networkInterfaces\":[{\"id\":\""
                + PREFIX + "Microsoft.Network/networkInterfaces/" + name + "-nic\"}]},\"extended\":{\"instanceView\":{"
                + "\"computerName\":\"" + name + "\",\"osName\":\"ubuntu\",\"osVersion\":\"22.04\",\"powerState\":{"
                + "\"code\":\"PowerState/" + (i % 13 == 7 ? "deallocated" : "running") + "\",\"level\":\"Info\"}}},"
                + "\"timeCreated\":\"" + days(i % 700) + "\"},\"tags\":" + tags(i) + ",\"identity\":"
                + (i % 2 == 0 ? "{\"type\":\"SystemAssigned\",\"principalId\":\"" + guid("2c", i) + "\",\"tenantId\":\""
                        + TENANT + "\"}" : "null") + ",\"zones\":[\"" + (i % 3 + 1) + "\"],\"extendedLocation\":null}";
    }

    private String vault(int v) {
        return "{\"id\":\"" + vaultId(v) + "\",\"name\":\"" + vaultName(v) + "\",\"location\":\"" + location(v) + "\"}";
    }

    private String assessment(int i) {
        boolean missing = i % 8 == 1;
        return "{\"id\":\"" + vmId(i) + "/patchAssessmentResults/latest\",\"name\":\"latest\",\"type\":"
                + "\"microsoft.compute/virtualmachines/patchassessmentresults\",\"properties\":{\"status\":\"Succeeded\","
                + "\"lastModifiedDateTime\":\"" + instant(1) + "\",\"rebootPending\":false,\"osType\":\"Linux\","
                + "\"patchServiceUsed\":\"APT\",\"startedBy\":\"Platform\",\"availablePatchCountByClassification\":{"
                + "\"critical\":" + (missing ? 2 : 0) + ",\"security\":" + (missing ? 1 : 0) + ",\"other\":3}}}";
    }

    private String installation(int i) {
        return "{\"id\":\"" + vmId(i) + "/patchInstallationResults/" + guid("3d", i) + "\",\"properties_status\":"
                + "\"Succeeded\",\"lastModifiedDateTime\":\"" + instant(10) + "\"}";
    }

    // ------------------------------------------------------------------------------------------ ARM

    /** An ARM GET under the estate's resource group ({@code rest} after {@code providers/}); null when unknown. */
    private Reply arm(String rest, Map<String, String> q, Consumer<String> count) {
        Matcher m = STORAGE.matcher(rest);
        if (m.matches()) {
            int i = index(m.group(1), n);
            String sub = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
            String op = sub.isEmpty() ? "arm:storageAccounts/blobServices.get"
                    : sub.equals("/containers") ? "arm:blobServices/containers.list" : "arm:diagnosticSettings.list";
            count.accept(op);
            if (i < 0) {
                return notFound("Microsoft.Storage/storageAccounts/" + rest);
            }
            String account = PREFIX + "Microsoft.Storage/storageAccounts/" + account(i);
            if (sub.isEmpty()) {
                return ok("{\"id\":\"" + account + "/blobServices/default\",\"name\":\"default\",\"type\":"
                        + "\"Microsoft.Storage/storageAccounts/blobServices\",\"sku\":{\"name\":\"Standard_LRS\","
                        + "\"tier\":\"Standard\"},\"properties\":{\"cors\":{\"corsRules\":[]},\"deleteRetentionPolicy\":"
                        + "{\"allowPermanentDelete\":false,\"enabled\":true,\"days\":7},\"isVersioningEnabled\":"
                        + (i % 3 == 0) + ",\"changeFeed\":{\"enabled\":false}}}");
            }
            if (sub.equals("/containers")) {
                StringBuilder b = new StringBuilder("{\"value\":[").append(container(account, "data", "None"));
                if (i % 10 == 0) {
                    b.append(',').append(container(account, "public-assets", "Blob"));
                } else if (i % 10 == 5) {
                    b.append(',').append(container(account, "archive", "None"));
                }
                return ok(b.append("]}").toString());
            }
            if (i % 4 != 0) {
                return ok("{\"value\":[]}");
            }
            return ok("{\"value\":[{\"id\":\"" + account + "/blobServices/default/providers/microsoft.insights/"
                    + "diagnosticSettings/to-law\",\"type\":\"Microsoft.Insights/diagnosticSettings\",\"name\":\"to-law\","
                    + "\"properties\":{\"workspaceId\":\"" + PREFIX + "Microsoft.OperationalInsights/workspaces/law-bench"
                    + "\",\"metrics\":[],\"logs\":[{\"category\":\"StorageRead\",\"categoryGroup\":null,\"enabled\":true},"
                    + "{\"category\":\"StorageWrite\",\"categoryGroup\":null,\"enabled\":true}]}}]}");
        }
        m = NIC.matcher(rest);
        if (m.matches()) {
            count.accept("arm:networkInterfaces.get");
            int i = index(m.group(1), n);
            if (i < 0) {
                return notFound(rest);
            }
            String nic = PREFIX + "Microsoft.Network/networkInterfaces/" + vmName(i) + "-nic";
            return ok("{\"name\":\"" + vmName(i) + "-nic\",\"id\":\"" + nic + "\",\"type\":"
                    + "\"Microsoft.Network/networkInterfaces\",\"location\":\"" + location(i) + "\",\"properties\":{"
                    + "\"provisioningState\":\"Succeeded\",\"ipConfigurations\":[{\"name\":\"ipconfig1\",\"id\":\"" + nic
                    + "/ipConfigurations/ipconfig1\",\"properties\":{\"privateIPAddress\":\"10.20." + (i / 250) % 256
                    + "." + (i % 250 + 4) + "\",\"privateIPAllocationMethod\":\"Dynamic\","
                    + (i % 10 == 0 ? "\"publicIPAddress\":{\"id\":\"" + PREFIX + "Microsoft.Network/publicIPAddresses/"
                            + vmName(i) + "-pip\"}," : "")
                    + "\"subnet\":{\"id\":\"" + PREFIX + "Microsoft.Network/virtualNetworks/vnet-bench/subnets/vms\"},"
                    + "\"primary\":true,\"privateIPAddressVersion\":\"IPv4\"}}],\"primary\":true,\"virtualMachine\":{"
                    + "\"id\":\"" + vmId(i) + "\"}}}");
        }
        m = PIP.matcher(rest);
        if (m.matches()) {
            count.accept("arm:publicIPAddresses.get");
            int i = index(m.group(1), n);
            if (i < 0 || i % 10 != 0) {
                return notFound(rest);
            }
            return ok("{\"name\":\"" + vmName(i) + "-pip\",\"id\":\"" + PREFIX + "Microsoft.Network/publicIPAddresses/"
                    + vmName(i) + "-pip\",\"location\":\"" + location(i) + "\",\"properties\":{\"provisioningState\":"
                    + "\"Succeeded\",\"ipAddress\":\"20.54." + (i / 250) % 256 + "." + (i % 250 + 1) + "\","
                    + "\"publicIPAddressVersion\":\"IPv4\",\"publicIPAllocationMethod\":\"Static\"},\"type\":"
                    + "\"Microsoft.Network/publicIPAddresses\",\"sku\":{\"name\":\"Standard\",\"tier\":\"Regional\"}}");
        }
        m = KEYS.matcher(rest);
        if (m.matches()) {
            int v = index(m.group(1), vaults);
            if (m.group(2) == null) {
                count.accept("arm:vaults/keys.list");
                if (v < 0) {
                    return notFound(rest);
                }
                int first = v * KEYS_PER_VAULT;
                int last = Math.min(n, first + KEYS_PER_VAULT);
                int from = first + AwsEstate.token(q.get("$skipToken"));
                int to = Math.min(last, from + KEY_PAGE);
                StringBuilder b = new StringBuilder("{\"value\":[");
                for (int i = from; i < to; i++) {
                    b.append(i > from ? "," : "").append(key(i, false));
                }
                b.append(']');
                if (to < last) {
                    b.append(",\"nextLink\":\"https://management.azure.com").append(vaultId(v))
                            .append("/keys?api-version=").append(q.getOrDefault("api-version", ""))
                            .append("&$skipToken=").append(enc(AwsEstate.token(to - first))).append('"');
                }
                return ok(b.append('}').toString());
            }
            count.accept("arm:vaults/keys.get");
            int i = index(m.group(2), n);
            if (v < 0 || i < 0 || i / KEYS_PER_VAULT != v) {
                return notFound(rest);
            }
            return ok(key(i, true));
        }
        return null;
    }

    private static String container(String account, String name, String level) {
        return "{\"id\":\"" + account + "/blobServices/default/containers/" + name + "\",\"name\":\"" + name
                + "\",\"type\":\"Microsoft.Storage/storageAccounts/blobServices/containers\",\"etag\":"
                + "\"\\\"0x8DD3A1B2C3D4E5F\\\"\",\"properties\":{\"deleted\":false,\"publicAccess\":\"" + level
                + "\",\"leaseStatus\":\"Unlocked\",\"leaseState\":\"Available\",\"hasImmutabilityPolicy\":false,"
                + "\"hasLegalHold\":false}}";
    }

    private String key(int i, boolean get) {
        int v = i / KEYS_PER_VAULT;
        String name = "key-" + String.format("%06d", i);
        long created = now.minus(Duration.ofDays(30 + i % 600)).getEpochSecond();
        String uri = "https://" + vaultName(v) + ".vault.azure.net/keys/" + name;
        StringBuilder b = new StringBuilder("{\"id\":\"").append(vaultId(v)).append("/keys/").append(name)
                .append("\",\"name\":\"").append(name).append("\",\"type\":\"Microsoft.KeyVault/vaults/keys\",")
                .append("\"location\":\"").append(location(v)).append("\",\"tags\":").append(tags(i))
                .append(",\"properties\":{\"attributes\":{\"enabled\":").append(i % 25 != 24).append(",\"created\":")
                .append(created).append(",\"updated\":").append(created).append(",\"recoveryLevel\":")
                .append("\"Recoverable+Purgeable\",\"exportable\":false},");
        if (get) {
            b.append("\"kty\":\"RSA\",\"keyOps\":[\"encrypt\",\"decrypt\",\"wrapKey\",\"unwrapKey\"],\"keySize\":2048,");
        }
        b.append("\"keyUri\":\"").append(uri).append("\",\"keyUriWithVersion\":\"").append(uri).append('/')
                .append(String.format("%032x", i)).append('"');
        if (get && i % 4 != 0) {
            b.append(",\"rotationPolicy\":{\"attributes\":{\"created\":").append(created).append(",\"updated\":")
                    .append(created).append(",\"expiryTime\":\"P2Y\"},\"lifetimeActions\":[{\"trigger\":{")
                    .append("\"timeAfterCreate\":\"").append(i % 10 == 3 ? "P18M" : "P90D").append("\"},\"action\":{")
                    .append("\"type\":\"rotate\"}},{\"trigger\":{\"timeBeforeExpiry\":\"P30D\"},\"action\":{")
                    .append("\"type\":\"notify\"}}]}");
        }
        return b.append("}}").toString();
    }

    // ------------------------------------------------------------------------------------------ Microsoft Graph

    private Reply graph(String path, Map<String, String> q, Consumer<String> count) {
        switch (path) {
            case "/organization" -> {
                count.accept("msgraph:organization.list");
                return ok("{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#organization(id)\","
                        + "\"value\":[{\"id\":\"" + TENANT + "\"}]}");
            }
            case "/directoryRoles" -> {
                count.accept("msgraph:directoryRoles.list");
                return ok("{\"value\":[" + role(GLOBAL_ADMIN, "Global Administrator",
                        "62e90394-69f5-4237-9190-012177145e10") + "," + role(SECURITY_READER, "Security Reader",
                        "5d6b6bb7-de71-4623-b4af-96380a352509") + "," + role(PRIV_ROLE_ADMIN,
                        "Privileged Role Administrator", "e8611ab8-c189-46e8-94e1-60213ab1f814") + "]}");
            }
            case "/reports/authenticationMethods/userRegistrationDetails" -> {
                count.accept("msgraph:userRegistrationDetails.list");
                return page(path, q, n, 1000, 1000, i -> "{\"id\":\"" + userId(i) + "\",\"userPrincipalName\":\""
                        + upn(i) + "\",\"userType\":\"member\",\"isAdmin\":" + (i % 50 == 0) + ",\"isMfaRegistered\":"
                        + (i % 4 != 0) + ",\"isMfaCapable\":" + (i % 4 != 0) + ",\"methodsRegistered\":"
                        + (i % 4 != 0 ? "[\"microsoftAuthenticatorPush\"]" : "[]") + ",\"lastUpdatedDateTime\":\""
                        + instant(1) + "\"}");
            }
            case "/users" -> {
                count.accept("msgraph:users.list");
                boolean activity = q.getOrDefault("$select", "").contains("signInActivity");
                return page(path, q, n, GRAPH_DEFAULT_PAGE, GRAPH_MAX_PAGE, i -> "{\"id\":\"" + userId(i)
                        + "\",\"userPrincipalName\":\"" + upn(i) + "\",\"displayName\":\"Bench User " + i
                        + "\",\"accountEnabled\":" + (i % 25 != 24) + ",\"userType\":\"" + (i % 12 == 11 ? "Guest"
                        : "Member") + "\"" + (activity ? ",\"signInActivity\":{\"lastSignInDateTime\":\""
                        + instant(i % 6 == 0 ? 200 : 2) + "\",\"lastNonInteractiveSignInDateTime\":null}" : "") + "}");
            }
            case "/servicePrincipals" -> {
                count.accept("msgraph:servicePrincipals.list");
                return page(path, q, n, GRAPH_DEFAULT_PAGE, GRAPH_MAX_PAGE, i -> "{\"id\":\"" + guid("0b000000", i)
                        + "\",\"appId\":\"" + guid("0d000000", i) + "\",\"displayName\":\"bench-app-" + i
                        + "\",\"accountEnabled\":true,\"servicePrincipalType\":\"Application\","
                        + "\"appOwnerOrganizationId\":\"" + (i % 2 == 0 ? TENANT : OTHER_TENANT) + "\"}");
            }
            case "/applications" -> {
                count.accept("msgraph:applications.list");
                return page(path, q, n, GRAPH_DEFAULT_PAGE, GRAPH_MAX_PAGE, i -> {
                    Instant start = now.minus(Duration.ofDays(i % 5 == 0 ? 400 : 30));
                    return "{\"id\":\"" + guid("0c000000", i) + "\",\"appId\":\"" + guid("0d000000", i)
                            + "\",\"displayName\":\"bench-app-" + i + "\",\"passwordCredentials\":[{"
                            + "\"customKeyIdentifier\":null,\"displayName\":\"ci-" + i + "\",\"endDateTime\":\""
                            + start.plus(Duration.ofDays(730)) + "\",\"hint\":\"Zx8\",\"keyId\":\"" + guid("0e000000", i)
                            + "\",\"secretText\":null,\"startDateTime\":\"" + start + "\"}],\"keyCredentials\":[]}";
                });
            }
            default -> {
                Matcher m = MEMBERS.matcher(path);
                if (m.matches()) {
                    count.accept("msgraph:directoryRoles.members.list");
                    return switch (m.group(1)) {
                        case GLOBAL_ADMIN -> page(path, q, (n + 49) / 50, GRAPH_DEFAULT_PAGE, GRAPH_MAX_PAGE,
                                k -> "{\"@odata.type\":\"#microsoft.graph.user\",\"id\":\"" + userId(50 * k) + "\"}");
                        case PRIV_ROLE_ADMIN -> ok("{\"value\":[{\"@odata.type\":\"#microsoft.graph.servicePrincipal\","
                                + "\"id\":\"" + guid("0b000000", 0) + "\"}]}");
                        case SECURITY_READER -> ok("{\"value\":[]}");
                        default -> graphError(404, "Request_ResourceNotFound", "no directory role " + m.group(1));
                    };
                }
                return notServed("msgraph:GET " + path, count);
            }
        }
    }

    private static String role(String id, String name, String template) {
        return "{\"id\":\"" + id + "\",\"displayName\":\"" + name + "\",\"roleTemplateId\":\"" + template + "\"}";
    }

    /**
     * One page of a Graph collection of {@code total} objects: {@code $top} (else {@code defaultSize}, at most
     * {@code maxSize}) from the offset in {@code $skiptoken}, with an {@code @odata.nextLink} that repeats the query.
     */
    private Reply page(String path, Map<String, String> q, int total, int defaultSize, int maxSize,
            IntFunction<String> object) {
        int size = Math.min(maxSize, q.containsKey("$top") ? Integer.parseInt(q.get("$top")) : defaultSize);
        int from = AwsEstate.token(q.get("$skiptoken"));
        int to = Math.min(total, from + size);
        StringBuilder b = new StringBuilder("{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#")
                .append(path.substring(1)).append("\",");
        if (to < total) {
            StringBuilder link = new StringBuilder("https://graph.microsoft.com/v1.0").append(path).append('?');
            q.forEach((k, v) -> {
                if (!k.equals("$skiptoken")) {
                    link.append(k).append('=').append(enc(v)).append('&');
                }
            });
            b.append("\"@odata.nextLink\":\"").append(link).append("$skiptoken=").append(enc(AwsEstate.token(to)))
                    .append("\",");
        }
        b.append("\"value\":[");
        for (int i = from; i < to; i++) {
            b.append(i > from ? "," : "").append(object.apply(i));
        }
        return ok(b.append("]}").toString());
    }

    // ------------------------------------------------------------------------------------------ names, helpers

    static String account(int i) {
        return String.format("cwbench%06d", i);
    }

    static String vmName(int i) {
        return String.format("vm-%06d", i);
    }

    static String vmId(int i) {
        return PREFIX + "Microsoft.Compute/virtualMachines/" + vmName(i);
    }

    static String vaultName(int v) {
        return String.format("kv-bench-%04d", v);
    }

    static String vaultId(int v) {
        return PREFIX + "Microsoft.KeyVault/vaults/" + vaultName(v);
    }

    static String userId(int i) {
        return guid("0a000000", i);
    }

    static String upn(int i) {
        return String.format("user%06d@bench.onmicrosoft.com", i);
    }

    /** A GUID-shaped id from a prefix and an index ({@code pppppppp-0000-4000-8000-iiiiiiiiiiii}). */
    static String guid(String prefix, int i) {
        String p = (prefix + "00000000").substring(0, 8);
        return p + "-0000-4000-8000-" + String.format("%012d", i);
    }

    private static String location(int i) {
        return LOCATIONS[i % LOCATIONS.length];
    }

    private static String tags(int i) {
        return i % 5 == 4 ? "{}" : "{\"env\":\"" + (i % 2 == 0 ? "prod" : "dev") + "\",\"team\":\"t" + (i % 17) + "\"}";
    }

    private static int index(String digits, int bound) {
        int i = Integer.parseInt(digits);
        return i < bound ? i : -1;
    }

    private String days(int d) {
        return now.minus(Duration.ofDays(d)).toString().replace("Z", ".0000000Z");
    }

    private String instant(int d) {
        return now.minus(Duration.ofDays(d)).toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Reply ok(String body) {
        return new Reply(200, JSON, body);
    }

    private static Reply error(int status, String code, String message) {
        return new Reply(status, JSON, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}");
    }

    private static Reply notFound(String what) {
        return error(404, "ResourceNotFound", "The Resource '" + what + "' was not found.");
    }

    private static Reply graphError(int status, String code, String message) {
        return new Reply(status, JSON, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message
                + "\",\"innerError\":{\"request-id\":\"bench\"}}}");
    }

    /** 501: not retried by the SDK, not read as "absent": the scan records the shard as unread. */
    private static Reply notServed(String what, Consumer<String> count) {
        count.accept("azure:not served");
        System.err.println("estate server: Azure request not served by the benchmark estate: " + what);
        return error(501, "NotServedByBenchmark", "not served by the benchmark estate: "
                + what.replace("\"", "'").replace("\\", "/"));
    }
}
