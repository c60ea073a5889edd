package io.cloudwarden.local.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sandbox estate served by an embedded WireMock on 127.0.0.1 (dynamic HTTP and HTTPS ports): each cloud's
 * recorded API responses in its own wire format, loaded from the classpath ({@code sandbox/recorded}), so the real SDK
 * clients of every provider scan, fetch and remediate it through their endpoint overrides.
 *
 * <p>Remediation changes the served estate through WireMock scenarios (e.g. {@code PutPublicAccessBlock} moves
 * scenario {@code bucket-cw-public-assets} to {@code blocked}, in which {@code GetPublicAccessBlock} answers the
 * blocked configuration). Scenario states are persisted in {@code <dir>/scenarios.json}: restored on start and saved
 * (temp file + atomic rename) by every request that moves a scenario, before its response is sent, so a
 * {@code remediate --sandbox --apply} in one process is visible to a later {@code scan --sandbox} in another even when
 * the first was killed midway: a change the client saw succeed is never applied twice. {@link #close()} saves once
 * more.
 *
 * <p>The Terraform states and the TLS material are copied out of the classpath into {@code <dir>} on start: the drift
 * command reads state files from paths, and a user can read them there.
 */
public final class SandboxServer implements AutoCloseable {
    /** Classpath root of the packaged sandbox ({@code examples/sandbox} of the repository). */
    public static final String ROOT = "sandbox";
    public static final String AWS_ACCOUNT = "111122223333";
    public static final String AWS_REGION = "us-east-1";
    public static final String GCP_PROJECT = "cw-demo-prod";
    public static final String AZURE_SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
    /**
     * Password of the shipped TLS key store and trust store. Not a secret: the key pair is generated for the sandbox
     * only, its certificate names just localhost / 127.0.0.1, and only this server presents it.
     */
    public static final String TLS_PASSWORD = "cloudwarden-sandbox";
    static final String TLS_SERVER = "tls/sandbox-server.p12";
    static final String TLS_TRUST = "tls/sandbox-truststore.p12";
    static final String SCENARIOS_FILE = "scenarios.json";
    private static final List<String> STATE_FILES = List.of("aws.tfstate", "azure.tfstate", "gcp.tfstate");

    private final WireMockServer server;
    private final Path dir;

    private SandboxServer(WireMockServer server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    /**
     * Starts the server for the sandbox state directory {@code dir} (created when absent) and restores the scenario
     * states saved there.
     */
    public static SandboxServer start(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SandboxException(dir + ": cannot create the sandbox state directory (" + e.getMessage() + ")");
        }
        requireResource(ROOT + "/recorded/mappings");
        Path keyStore = extract(ROOT + "/" + TLS_SERVER, dir.resolve(TLS_SERVER));
        WireMockConfiguration options = WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .dynamicHttpsPort()
                .keystorePath(keyStore.toString())
                .keystoreType("PKCS12")
                .keystorePassword(TLS_PASSWORD)
                .keyManagerPassword(TLS_PASSWORD)
                .usingFilesUnderClasspath(ROOT + "/recorded")
                .notifier(new Slf4jNotifier(false))
                .containerThreads(16)
                .jettyAcceptors(1)
                .asynchronousResponseEnabled(false)
                .globalTemplating(false);
        SaveOnChange saver = new SaveOnChange();
        options.extensions(saver);
        WireMockServer server = new WireMockServer(options);
        server.start();
        SandboxServer s = new SandboxServer(server, dir);
        try {
            s.restoreScenarios();
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
        saver.sandbox = s;
        return s;
    }

    /**
     * Saves the scenario states when a served stub moved a scenario ({@code newScenarioState}), after WireMock made the
     * transition and before the response leaves: the client never sees a change succeed that a kill could lose. A
     * request that changes nothing (every scan read) writes nothing. Requests served before the saved states were
     * restored ({@code sandbox} unset) are not saved: none can arrive, the ports are not known to a client yet.
     */
    static final class SaveOnChange implements ServeEventListener {
        volatile SandboxServer sandbox;

        @Override
        public String getName() {
            return "cloudwarden-sandbox-save-on-change";
        }

        @Override
        public void beforeResponseSent(ServeEvent event, Parameters parameters) {
            SandboxServer s = sandbox;
            if (s != null && event.getStubMapping() != null
                    && event.getStubMapping().getNewScenarioState() != null) {
                s.saveScenarios();
            }
        }

        @Override
        public boolean applyGlobally() {
            return true;
        }
    }

    public Path directory() {
        return dir;
    }

    /** Requests this server has answered so far (its request journal): API calls, counted server-side. */
    public long requestCount() {
        return server.countRequestsMatching(com.github.tomakehurst.wiremock.matching.RequestPattern.everything())
                .getCount();
    }

    public int httpPort() {
        return server.port();
    }

    public int httpsPort() {
        return server.httpsPort();
    }

    public URI httpUrl() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** HTTPS root (Azure Resource Manager): the certificate is the sandbox's own, see {@link #installTrustStore()}. */
    public URI httpsUrl() {
        return URI.create("https://127.0.0.1:" + server.httpsPort());
    }

    /** The trust store file of this JVM (written once: the JVM may re-read it whenever a TLS client starts). */
    private static Path trustStore;

    /**
     * Makes this JVM trust the sandbox server's certificate, the standard way: {@code javax.net.ssl.trustStore}
     * system properties naming the shipped trust store. The Azure SDK's HTTP client uses the JVM default trust
     * managers, so this must run before the Azure session opens. It replaces the JVM's default CA set for this
     * process, which a sandbox run never needs: every sandbox endpoint is on 127.0.0.1. The file is a temporary copy
     * made once per JVM (deleted on exit), never rewritten while TLS clients may be reading it.
     */
    public static synchronized Path installTrustStore() {
        if (trustStore == null || !Files.isRegularFile(trustStore)) {
            try {
                Path tmp = Files.createTempFile("cloudwarden-sandbox-truststore", ".p12");
                tmp.toFile().deleteOnExit();
                trustStore = extract(ROOT + "/" + TLS_TRUST, tmp);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the sandbox trust store to a temporary file", e);
            }
        }
        System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", TLS_PASSWORD);
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        return trustStore;
    }

    /** Clouds whose estate the sandbox serves (a Terraform state and recorded responses ship for each). */
    public List<Cloud> clouds() {
        List<Cloud> out = new ArrayList<>();
        for (Cloud c : Cloud.values()) {
            if (resourceExists(ROOT + "/terraform/" + c.id() + ".tfstate")) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * Configuration keys pointing every served cloud's provider at this server: endpoint override, the recorded
     * accounts and regions, dummy credentials (never real ones: the sandbox must not reach a cloud), and short retries.
     */
    public Map<String, String> config() {
        Map<String, String> m = new LinkedHashMap<>();
        String http = httpUrl().toString();
        List<Cloud> served = clouds();
        if (served.contains(Cloud.AWS)) {
            m.put("cloudwarden.aws.endpoint", http);
            m.put("cloudwarden.aws.accounts", AWS_ACCOUNT);
            m.put("cloudwarden.aws.regions", AWS_REGION);
            m.put("cloudwarden.aws.region", AWS_REGION);
            // Dummy static credentials so the SDK signs requests without looking for real ones.
            m.put("cloudwarden.aws.accessKeyId", "AKIASANDBOX000000000");
            m.put("cloudwarden.aws.secretAccessKey", "sandbox-dummy-secret-not-a-credential");
            m.put("cloudwarden.aws.maxAttempts", "2");
            m.put("cloudwarden.aws.retryBaseDelayMs", "0");
        }
        if (served.contains(Cloud.AZURE)) {
            // With an endpoint override and no client secret the Azure provider sends a static dummy bearer token.
            m.put("cloudwarden.azure.endpoint", httpsUrl().toString());
            m.put("cloudwarden.azure.accounts", AZURE_SUBSCRIPTION);
            m.put("cloudwarden.azure.maxRetries", "1");
            m.put("cloudwarden.azure.retryBaseDelayMillis", "10");
            m.put("cloudwarden.azure.retryMaxDelayMillis", "50");
        }
        if (served.contains(Cloud.GCP)) {
            // With an endpoint override and no credentialsFile the GCP provider sends requests unauthenticated.
            m.put("cloudwarden.gcp.endpoint", http);
            m.put("cloudwarden.gcp.accounts", GCP_PROJECT);
            m.put("cloudwarden.gcp.maxAttempts", "2");
            m.put("cloudwarden.gcp.initialRetryDelayMillis", "10");
            m.put("cloudwarden.gcp.totalTimeoutSeconds", "10");
        }
        // The sandbox is a demonstration estate in which most resources are planted deviations, so the blast-radius
        // breaker is sized for it (every planted deviation can be fixed in one run). The defaults (10 changes, 25 %
        // of a type) stay in force everywhere else.
        m.put("cloudwarden.guardrails.max-changes", "25");
        m.put("cloudwarden.guardrails.max-fraction", "1.0");
        // Rollout waves sized so the sandbox's seven install-patches plans (two GCP, two Azure, three AWS instances,
        // in resource-id order) run as a canary of 1, a wave of 5 across the three clouds and a last wave of 1: the
        // planted verification failure (AWS app-2, the last of wave 2) halts the rollout before wave 3. The
        // defaults (5 %, 25 %, the rest; docs/ROLLOUT.md) stay in force everywhere else.
        m.put("cloudwarden.rollout.waves", "0.1,0.7");
        return m;
    }

    /** The sandbox's Terraform state files, copied into {@code <dir>/terraform/} (overwriting older copies). */
    public List<Path> terraformStates() {
        List<Path> out = new ArrayList<>();
        for (String name : STATE_FILES) {
            String resource = ROOT + "/terraform/" + name;
            if (resourceExists(resource)) {
                out.add(extract(resource, dir.resolve("terraform").resolve(name)));
            }
        }
        return out;
    }

    /**
     * The sandbox's drift ignore file, copied to {@code <dir>/cloudwardenignore}: Entra ID identities are managed
     * outside the sandbox's Terraform, so drift leaves them out (the rules still check them).
     */
    public Path ignoreFile() {
        return extract(ROOT + "/cloudwardenignore", dir.resolve("cloudwardenignore"));
    }

    /** One recorded cloud event (a trigger payload as delivered), in replay order. */
    public record RecordedEvent(Cloud cloud, String name, JsonNode envelope) {
    }

    /** The recorded events listed in {@code sandbox/events/index.txt}, in that order. */
    public static List<RecordedEvent> events() {
        String index = readResource(ROOT + "/events/index.txt");
        List<RecordedEvent> out = new ArrayList<>();
        int line = 0;
        for (String entry : index.split("\n")) {
            line++;
            String e = entry.trim();
            if (e.isEmpty() || e.startsWith("#")) {
                continue;
            }
            int slash = e.indexOf('/');
            Cloud cloud;
            try {
                cloud = Cloud.of(slash < 0 ? "" : e.substring(0, slash));
            } catch (IllegalArgumentException ex) {
                throw new SandboxException(ROOT + "/events/index.txt line " + line
                        + ": expected <aws|azure|gcp>/<file>.json but was '" + e + "'");
            }
            String resource = ROOT + "/events/" + e;
            try {
                out.add(new RecordedEvent(cloud, e, ModelJson.mapper().readTree(readResource(resource))));
            } catch (IOException ex) {
                throw new SandboxException(resource + ": not valid JSON (" + ex.getMessage() + ")");
            }
        }
        return out;
    }

    /** Current state of every scenario, by name. */
    public Map<String, String> scenarioStates() {
        Map<String, String> m = new TreeMap<>();
        for (Scenario s : server.getAllScenarios().getScenarios()) {
            m.put(s.getName(), s.getState());
        }
        return m;
    }

    /**
     * Writes the scenario states to {@code <dir>/scenarios.json} (temp file + atomic rename; serialized, so
     * concurrent requests cannot interleave writes and the last rename carries the latest states).
     */
    public synchronized void saveScenarios() {
        ObjectNode root = ModelJson.mapper().createObjectNode();
        ObjectNode states = root.putObject("scenarios");
        scenarioStates().forEach(states::put);
        Path file = dir.resolve(SCENARIOS_FILE);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, ".scenarios", ".tmp");
            Files.writeString(tmp, io.cloudwarden.model.ModelJson.prettyString(root), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the save already failed; that failure is the one to report
                }
            }
            throw new UncheckedIOException(file + ": cannot save the sandbox scenario states", e);
        }
    }

    /**
     * Restores the states saved by an earlier process. A scenario the recorded estate no longer has is skipped, so an
     * upgraded sandbox still starts; a state the scenario does not know falls back to its start.
     */
    void restoreScenarios() {
        Path file = dir.resolve(SCENARIOS_FILE);
        JsonNode root;
        try {
            root = ModelJson.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new SandboxException(file + ": not valid JSON (expected {\"scenarios\": {\"<name>\": \"<state>\"}}): "
                    + e.getMessage());
        }
        JsonNode states = root == null ? null : root.get("scenarios");
        if (states == null || !states.isObject()) {
            throw new SandboxException(file + ": field 'scenarios': expected an object of scenario name to state");
        }
        Map<String, Scenario> known = new TreeMap<>();
        server.getAllScenarios().getScenarios().forEach(s -> known.put(s.getName(), s));
        var fields = states.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            if (!e.getValue().isTextual()) {
                throw new SandboxException(file + ": field 'scenarios." + e.getKey()
                        + "': expected a state name (string) but was " + e.getValue());
            }
            Scenario s = known.get(e.getKey());
            String state = e.getValue().asText();
            if (s == null) {
                continue;
            }
            if (Scenario.STARTED.equals(state) || !s.getPossibleStates().contains(state)) {
                server.resetScenario(s.getName());
            } else {
                server.setScenarioState(s.getName(), state);
            }
        }
    }

    /** Saves the scenario states, then stops the server. */
    @Override
    public void close() {
        try {
            saveScenarios();
        } finally {
            server.stop();
        }
    }

    static boolean resourceExists(String resource) {
        return SandboxServer.class.getClassLoader().getResource(resource) != null;
    }

    private static void requireResource(String resource) {
        if (!resourceExists(resource)) {
            throw new SandboxException("classpath resource " + resource + " is missing: the sandbox is packaged into "
                    + "cloudwarden.jar from examples/sandbox (rebuild with ./mvnw -B -q -DskipTests package -pl "
                    + "functions/local -am)");
        }
    }

    static String readResource(String resource) {
        try (InputStream in = SandboxServer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                requireResource(resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + resource, e);
        }
    }

    static Path extract(String resource, Path target) {
        try (InputStream in = SandboxServer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                requireResource(resource);
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + resource + " to " + target, e);
        }
    }
}
