package io.cloudwarden.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudwarden.local.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the Azure part of the e2e benchmark's estate server honest (not a timed test): a real {@code cloudwarden scan
 * --cloud azure} against 30 resources of each type served over HTTPS reads every shard, finds exactly the resources
 * the estate serves, and the planted public share. A read added to an Azure collector that the estate does not answer
 * fails here (the estate answers it 501, the scan records the shard as unread), not silently in {@code e2e.sh}.
 *
 * <p>The certificate is made by the JDK's keytool at test time, and this JVM is told to trust it the standard way
 * ({@code javax.net.ssl.trustStore}, read when the first TLS context is made: nothing in this module's tests makes
 * one earlier).
 */
class AzureEstateSmokeTest {
    private static final int N = 30;
    private static final String TENANT = "/tenants/" + AzureEstate.TENANT + "/";

    @TempDir
    static Path dir;
    private static WireEstateServer server;
    private static int tlsPort;

    @BeforeAll
    static void start() throws Exception {
        Path keyStore = dir.resolve("server.p12");
        Path pem = dir.resolve("server.pem");
        Path trust = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "estate", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keyStore.toString(), "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-alias", "estate", "-keystore", keyStore.toString(), "-storepass", "changeit", "-rfc",
                "-file", pem.toString());
        keytool("-importcert", "-noprompt", "-alias", "estate", "-file", pem.toString(), "-keystore", trust.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit");
        System.setProperty("javax.net.ssl.trustStore", trust.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        server = new WireEstateServer(N);
        server.start(0);
        tlsPort = server.startTls(0, keyStore, "changeit".toCharArray());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void scanReadsExactlyTheServedEstateAndItsPublicShare() throws IOException {
        Path props = dir.resolve("estate.properties");
        Files.writeString(props, "cloudwarden.azure.endpoint=https://127.0.0.1:" + tlsPort + "\n"
                + "cloudwarden.azure.accounts=" + AzureEstate.SUBSCRIPTION + "\n");
        Path snapshot = dir.resolve("snapshot.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "scan", "--config", props.toString(),
                "--cloud", "azure", "--state-dir", dir.resolve("state").toString(), "--out", snapshot.toString());

        assertThat(code).as("scan exit code; output:%n%s%n%s", out, err).isZero();
        JsonNode snap = new ObjectMapper().readTree(snapshot.toFile());
        assertThat(snap.path("errors")).as("unread shards").isEmpty();
        assertThat(server.calls()).as("requests the estate did not serve").doesNotContainKey("azure:not served");

        Map<String, Set<String>> ids = new HashMap<>();
        Set<String> publicAccounts = new TreeSet<>();
        for (JsonNode r : snap.path("resources")) {
            assertThat(r.path("cloud").asText()).isEqualTo("azure");
            ids.computeIfAbsent(r.path("type").asText(), k -> new TreeSet<>()).add(r.path("id").asText());
            if (r.path("attributes").path("publicAccess").asBoolean(false)) {
                publicAccounts.add(r.path("id").asText());
            }
        }
        assertThat(ids).containsOnlyKeys("storage.bucket", "network.firewall", "compute.instance", "kms.key",
                "identity.user", "identity.key");
        assertThat(ids.get("storage.bucket")).isEqualTo(expected(i ->
                AzureEstate.PREFIX + "Microsoft.Storage/storageAccounts/" + AzureEstate.account(i)));
        assertThat(ids.get("network.firewall")).isEqualTo(expected(i ->
                AzureEstate.PREFIX + "Microsoft.Network/networkSecurityGroups/nsg-" + String.format("%06d", i)));
        assertThat(ids.get("compute.instance")).isEqualTo(expected(AzureEstate::vmId));
        assertThat(ids.get("kms.key")).isEqualTo(expected(i ->
                AzureEstate.vaultId(i / AzureEstate.KEYS_PER_VAULT) + "/keys/key-" + String.format("%06d", i)));
        assertThat(ids.get("identity.key")).isEqualTo(expected(i -> TENANT + "applications/"
                + AzureEstate.guid("0c000000", i) + "/credentials/" + AzureEstate.guid("0e000000", i)));
        // every user, and the service principals the tenant owns (even indexes): the others' are skipped
        Set<String> principals = expected(i -> TENANT + "users/" + AzureEstate.userId(i));
        for (int i = 0; i < N; i += 2) {
            principals.add(TENANT + "servicePrincipals/" + AzureEstate.guid("0b000000", i));
        }
        assertThat(ids.get("identity.user")).isEqualTo(principals);
        // public: allowBlobPublicAccess and a Blob container (i % 10 == 0); i % 10 == 5 allows it but has no public
        // container, so it is not
        assertThat(publicAccounts).isEqualTo(Set.of(0, 10, 20).stream().map(i ->
                AzureEstate.PREFIX + "Microsoft.Storage/storageAccounts/" + AzureEstate.account(i))
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
    }

    private static Set<String> expected(java.util.function.IntFunction<String> id) {
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < N; i++) {
            out.add(id.apply(i));
        }
        return out;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output);
        }
    }
}
