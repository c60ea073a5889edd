package io.cloudwarden.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cloudwarden.functions.Cloudwarden;
import io.cloudwarden.functions.Functions;
import io.cloudwarden.functions.http.HttpGateway;
import io.cloudwarden.functions.http.HttpRequest;
import io.cloudwarden.functions.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the functions' HTTP endpoints in one process (the only command that opens a port).",
                "POST /events/{aws|azure|gcp}, POST /scan, POST /chatops/slack, POST /chatops/teams, GET /q/health,"
                        + " GET /q/metrics (Prometheus text; OTLP export too when OTEL_EXPORTER_OTLP_ENDPOINT is set)."
                        + " Remediation requests run in process (dry run unless cloudwarden.apply=true)."})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    Cli.Common common = new Cli.Common();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}; 0 = any free).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only).")
    String bind;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new InputException("--port: expected 0..65535 but was " + port);
        }
        try (Cloudwarden cw = Runtime.open(common, Map.of())) {
            HttpServer server = start(cw, bind, port, serveTelemetry(cw));
            spec.commandLine().getOut().println("cloudwarden serving on http://" + bind + ":"
                    + server.getAddress().getPort() + " (state: " + cw.store().describe() + ")");
            spec.commandLine().getOut().flush();
            java.lang.Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.stop(1);
                stop.countDown();
            }));
            stop.await();
            return ExitCodes.OK;
        }
    }

    /** Installs serve's telemetry on {@code cw} (replacing an OTLP-only one {@link Runtime#open} may have made). */
    static CliTelemetry.Served serveTelemetry(Cloudwarden cw) {
        cw.telemetry().close();
        CliTelemetry.Served served = CliTelemetry.forServe();
        cw.telemetry(served.telemetry());
        return served;
    }

    /**
     * Starts the server on the given address with {@code GET /q/metrics} answered from {@code metrics} (unauthenticated
     * like {@code /q/health}, for scrapers: counts by cloud, type, service, rule and outcome, no resource ids); the
     * caller stops it.
     */
    static HttpServer start(Cloudwarden cw, String bind, int port, CliTelemetry.Served metrics) throws IOException {
        return start(cw, bind, port, java.util.Optional.of(metrics));
    }

    /** Starts the server on the given address; the caller stops it. */
    static HttpServer start(Cloudwarden cw, String bind, int port) throws IOException {
        return start(cw, bind, port, java.util.Optional.empty());
    }

    private static HttpServer start(Cloudwarden cw, String bind, int port,
            java.util.Optional<CliTelemetry.Served> metrics) throws IOException {
        // On a loopback address the callers are this machine's users: /scan may run without a token there.
        HttpGateway gateway = Functions.inProcess(cw).gateway()
                .loopbackOnly(java.net.InetAddress.getByName(bind).isLoopbackAddress());
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 64);
        metrics.ifPresent(m -> server.createContext("/q/metrics", exchange -> scrape(m, exchange)));
        server.createContext("/", exchange -> handle(gateway, exchange));
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        return server;
    }

    private static void scrape(CliTelemetry.Served metrics, HttpExchange ex) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().add("Allow", "GET");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = metrics.scrape();
            ex.getResponseHeaders().add("Content-Type", CliTelemetry.Served.contentType());
            ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static void handle(HttpGateway gateway, HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readNBytes(HttpGateway.MAX_BODY + 1);
            }
            Map<String, List<String>> headers = new HashMap<>(ex.getRequestHeaders());
            HttpRequest req = new HttpRequest(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), headers,
                    ex.getRequestURI().getRawQuery(), body);
            HttpResponse resp = gateway.handle(req);
            resp.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.sendResponseHeaders(resp.status(), resp.body().length == 0 ? -1 : resp.body().length);
            if (resp.body().length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(resp.body());
                }
            }
        }
    }
}
