package io.cloudwarden.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cloudwarden.local.sandbox.SandboxServer;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cold start of one function app as its platform sees it: from starting a fresh process to the answer of its first
 * invocation, an event that re-reads one resource from the sandbox's recorded endpoint (WireMock on 127.0.0.1, the
 * real SDK clients). Not a unit test: it prints figures.
 *
 * <ul>
 * <li>{@code aws}: this class serves the Lambda runtime API ({@code AWS_LAMBDA_RUNTIME_API}) as Lambda does: the
 * first {@code GET /2018-06-01/runtime/invocation/next} gets the recorded CloudTrail event
 * ({@code DeleteBucketPublicAccessBlock}); the time is taken when the app posts its {@code /response}.</li>
 * <li>{@code azure}: as the Functions host does with a custom handler, this class waits for the process to accept
 * connections on {@code FUNCTIONS_CUSTOMHANDLER_PORT}, then forwards the Event Grid invocation
 * ({@code POST /eventgrid}, the host's envelope); the time is taken at the answer.</li>
 * <li>{@code gcp}: as Cloud Run does, the first request (the Eventarc audit-log CloudEvent in binary mode,
 * {@code POST /}) is sent once the port accepts connections; the time is taken at the answer.</li>
 * </ul>
 *
 * <p>Each run gets a fresh process and an empty state directory; the process is killed after its first answer. The
 * answer must be a 200 naming one handled event, and the recorded endpoint must have served at least one read,
 * or the run fails. Usage (see {@code tests/bench/coldstart.sh}, which builds the launch commands):
 * {@code java -cp <cloudwarden.jar>:tests/bench/target/classes io.cloudwarden.bench.ColdStartBenchmark
 * aws|azure|gcp RUNS -- COMMAND...}; the command is the app's launch command, to which this class adds the
 * sandbox's settings as {@code -D} options after its first word ({@code java}).
 */
public final class ColdStartBenchmark {
    private static final Duration LIMIT = Duration.ofSeconds(180);
    /**
     * Where the process starts ({@code -Dcoldstart.dir}): the jar's directory, as the platforms start it, so that a
     * CDS archive recorded with {@code -jar NAME.jar} from there matches the class path.
     */
    private static final java.io.File WORKDIR = new java.io.File(System.getProperty("coldstart.dir", "."));

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int dash = Arrays.asList(args).indexOf("--");
        if (args.length < 4 || dash != 2) {
            throw new IllegalArgumentException("usage: ColdStartBenchmark aws|azure|gcp RUNS -- COMMAND...");
        }
        String app = args[0];
        int runs = Integer.parseInt(args[1]);
        List<String> command = List.of(args).subList(3, args.length);
        Path work = Files.createTempDirectory("cw-coldstart-" + app);
        SandboxServer sandbox = SandboxServer.start(work.resolve("sandbox"));
        Path trustStore = SandboxServer.installTrustStore();
        try {
            long[] millis = new long[runs];
            for (int i = 0; i < runs; i++) {
                Path state = Files.createDirectories(work.resolve("state-" + i));
                long calls0 = sandbox.requestCount();
                Run r = switch (app) {
                    case "aws" -> aws(command, sandbox, trustStore, state, work.resolve("aws-" + i + ".log"));
                    case "azure" -> http(app, command, sandbox, trustStore, state, work.resolve("azure-" + i + ".log"));
                    case "gcp" -> http(app, command, sandbox, trustStore, state, work.resolve("gcp-" + i + ".log"));
                    default -> throw new IllegalArgumentException("app: aws, azure or gcp, not " + app);
                };
                long calls = sandbox.requestCount() - calls0;
                if (calls == 0) {
                    throw new IllegalStateException(app + " run " + i + ": the recorded endpoint served no read");
                }
                millis[i] = r.millis();
                System.out.printf("%s run %d: %d ms to the first answer (%s; %d API calls served)%n", app, i + 1,
                        r.millis(), r.summary(), calls);
            }
            long[] sorted = millis.clone();
            Arrays.sort(sorted);
            System.out.printf("%s cold start over %d fresh processes: min %d ms, median %d ms, max %d ms%n", app,
                    runs, sorted[0], sorted[runs / 2], sorted[runs - 1]);
        } finally {
            sandbox.close();
        }
    }

    record Run(long millis, String summary) {
    }

    /** The launch command with the sandbox's settings, the state directory and the trust store as -D options. */
    private static List<String> launch(String app, List<String> command, SandboxServer sandbox, Path trustStore,
            Path state) {
        List<String> cmd = new ArrayList<>();
        cmd.add(command.get(0));
        for (Map.Entry<String, String> e : sandbox.config().entrySet()) {
            cmd.add("-D" + e.getKey() + "=" + e.getValue());
        }
        cmd.add("-Dcloudwarden.clouds=" + app);
        cmd.add("-Dcloudwarden.state=" + state);
        // Cloud Run / the Functions host admit the caller (IAM, function keys): the platform scheme, as deployed
        cmd.add("-Dcloudwarden.http.auth=platform");
        cmd.add("-Djavax.net.ssl.trustStore=" + trustStore);
        cmd.add("-Djavax.net.ssl.trustStorePassword=" + SandboxServer.TLS_PASSWORD);
        cmd.add("-Djavax.net.ssl.trustStoreType=PKCS12");
        cmd.addAll(command.subList(1, command.size()));
        return cmd;
    }

    private static Run aws(List<String> command, SandboxServer sandbox, Path trustStore, Path state, Path log)
            throws Exception {
        byte[] event = resource("sandbox/events/aws/01-delete-public-access-block.json");
        CompletableFuture<String> answer = new CompletableFuture<>();
        AtomicBoolean served = new AtomicBoolean();
        HttpServer runtimeApi = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        runtimeApi.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "lambda-runtime-api");
            t.setDaemon(true);
            return t;
        }));
        runtimeApi.createContext("/2018-06-01/runtime/", ex -> {
            String path = ex.getRequestURI().getPath();
            byte[] body = ex.getRequestBody().readAllBytes();
            if (Boolean.getBoolean("coldstart.trace")) {
                System.err.println("runtime API: " + ex.getRequestMethod() + " " + path);
            }
            if (path.endsWith("/invocation/next")) {
                if (!served.compareAndSet(false, true)) {
                    // no second event: hold the poll as Lambda does between invocations (the process is killed)
                    sleepQuietly(LIMIT.toMillis());
                    return;
                }
                ex.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", "coldstart-1");
                ex.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms",
                        Long.toString(System.currentTimeMillis() + 300_000));
                ex.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:us-east-1:111122223333:function:cloudwarden-events");
                ex.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000");
                ex.getResponseHeaders().add("Content-Type", "application/json");
                reply(ex, 200, event);
            } else if (path.endsWith("/response")) {
                reply(ex, 202, new byte[0]);
                answer.complete(new String(body, StandardCharsets.UTF_8));
            } else {
                reply(ex, 202, new byte[0]);
                answer.completeExceptionally(new IllegalStateException("the function reported an error at " + path
                        + ": " + new String(body, StandardCharsets.UTF_8)));
            }
        });
        runtimeApi.start();
        List<String> cmd = launch("aws", command, sandbox, trustStore, state);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(WORKDIR).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + runtimeApi.getAddress().getPort());
        pb.environment().put("QUARKUS_LAMBDA_HANDLER", "events");
        pb.environment().put("AWS_REGION", SandboxServer.AWS_REGION);
        // what Lambda's Java runtime sets in every execution environment
        pb.environment().put("AWS_LAMBDA_FUNCTION_NAME", "cloudwarden-events");
        pb.environment().put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        pb.environment().put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        pb.environment().put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/cloudwarden-events");
        pb.environment().put("AWS_LAMBDA_LOG_STREAM_NAME", "coldstart");
        pb.environment().put("AWS_EXECUTION_ENV", "AWS_Lambda_java17");
        pb.environment().put("LAMBDA_TASK_ROOT", WORKDIR.getAbsolutePath());
        pb.environment().put("_HANDLER", command.get(command.size() - 1));
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            String body = answer.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return new Run(ms, summary(body, log));
        } finally {
            stop(p);
            runtimeApi.stop(0);
        }
    }

    private static Run http(String app, List<String> command, SandboxServer sandbox, Path trustStore, Path state,
            Path log) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HttpRequest.Builder request;
        if (app.equals("azure")) {
            JsonNode events = ModelJson.mapper().readTree(resource("sandbox/events/azure/01-storage-account-write.json"));
            ObjectNode invocation = ModelJson.mapper().createObjectNode();
            invocation.putObject("Data").set(EVENT_BINDING, events.isArray() ? events.get(0) : events);
            invocation.putObject("Metadata").put("sys", "{}");
            request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/eventgrid"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(ModelJson.mapper().writeValueAsBytes(invocation)));
        } else {
            JsonNode recorded = ModelJson.mapper().readTree(
                    resource("sandbox/events/gcp/01-firewall-insert-ssh-anywhere.json"));
            request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(
                            ModelJson.mapper().writeValueAsBytes(recorded.get("data"))));
            for (Iterator<Map.Entry<String, JsonNode>> it = recorded.get("ce-headers").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                request.header(h.getKey(), h.getValue().asText());
            }
        }
        List<String> cmd = launch(app, command, sandbox, trustStore, state);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(WORKDIR).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put(app.equals("azure") ? "FUNCTIONS_CUSTOMHANDLER_PORT" : "PORT", Integer.toString(port));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            long deadline = t0 + LIMIT.toNanos();
            while (!accepts(port)) { // the platform forwards the first request once the port is open
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(app + " did not open port " + port + "; log: " + log);
                }
                Thread.sleep(5);
            }
            HttpResponse<String> res = client.send(request.timeout(LIMIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (res.statusCode() != 200) {
                throw new IllegalStateException(app + " answered " + res.statusCode() + ": " + res.body()
                        + "; log: " + log);
            }
            return new Run(ms, summary(res.body(), log));
        } finally {
            stop(p);
        }
    }

    private static final String EVENT_BINDING = "event";

    /** Checks the answer names one handled event; returns a short description. */
    private static String summary(String body, Path log) throws IOException {
        JsonNode json = ModelJson.mapper().readTree(body);
        JsonNode outcome = json.has("ReturnValue") ? json.get("ReturnValue") : json; // Azure: the host's envelope
        if (outcome.isTextual()) {
            outcome = ModelJson.mapper().readTree(outcome.asText());
        }
        JsonNode events = outcome.path("events");
        if (!events.isArray() || events.isEmpty()) {
            throw new IllegalStateException("the first answer handled no event: " + body + "; log: " + log);
        }
        return events.size() + " event(s), " + outcome.path("findings").size() + " finding(s)";
    }

    private static boolean accepts(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 50);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    private static byte[] resource(String name) {
        try (InputStream in = ColdStartBenchmark.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path (cloudwarden.jar ships it)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
