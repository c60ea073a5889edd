package io.cloudwarden.testkit.recorded;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * The one recorded-API harness of the provider, function and integration tests: a WireMock server on 127.0.0.1
 * standing in for a cloud's API roots (every client's endpoint override points at it), serving recorded wire
 * responses from the test class path ({@code /recorded/...}), and keeping the requests it saw so a test can check
 * what a collector called (the contract suite maps them to permissions).
 *
 * <p>Fixtures are the cloud's real wire formats, stored once per cloud under {@code providers/<cloud>/src/test/
 * resources/recorded}; the function modules put that directory on their test class path (see their poms), so the
 * same {@link #fixture(String)} path works in both.
 */
public final class RecordedApiServer implements AutoCloseable {
    private final WireMockServer server;
    private final boolean https;

    private RecordedApiServer(WireMockConfiguration options, boolean https) {
        this.server = new WireMockServer(options);
        this.https = https;
        server.start();
    }

    /** Plain HTTP on 127.0.0.1, a free port. */
    public static RecordedApiServer http(Extension... extensions) {
        return new RecordedApiServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .extensions(extensions), false);
    }

    /**
     * HTTPS only (clients that refuse plain HTTP: the Azure SDK's bearer-token policy), on 127.0.0.1 with the
     * server certificate of a PKCS12 key store; the client side trusts it through {@code javax.net.ssl.trustStore}.
     */
    public static RecordedApiServer https(Path keyStore, String password) {
        return new RecordedApiServer(WireMockConfiguration.options().bindAddress("127.0.0.1").httpDisabled(true)
                .dynamicHttpsPort().keystorePath(keyStore.toAbsolutePath().toString()).keystoreType("PKCS12")
                .keystorePassword(password).keyManagerPassword(password), true);
    }

    public WireMockServer wireMock() {
        return server;
    }

    /** The base URI to configure as the provider's endpoint ({@code localhost} for HTTPS: the certificate's name). */
    public URI endpoint() {
        return https ? URI.create("https://localhost:" + server.httpsPort())
                : URI.create("http://127.0.0.1:" + server.port());
    }

    public int port() {
        return https ? server.httpsPort() : server.port();
    }

    public RecordedApiServer stub(MappingBuilder mapping) {
        server.stubFor(mapping);
        return this;
    }

    /** Every request the server received since it started or since {@link #forgetRequests()}, oldest first. */
    public List<LoggedRequest> requests() {
        return server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
    }

    public void forgetRequests() {
        server.resetRequests();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** A recorded fixture's text: {@code /recorded/<path>} on the test class path. */
    public static String fixture(String path) {
        return new String(fixtureBytes(path), StandardCharsets.UTF_8);
    }

    public static byte[] fixtureBytes(String path) {
        return resourceBytes("recorded/" + path);
    }

    /** Any test resource by its class-path name (no leading slash), e.g. {@code events/aws/x.json}. */
    public static byte[] resourceBytes(String name) {
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        InputStream in = tccl == null ? null : tccl.getResourceAsStream(name);
        if (in == null) {
            in = RecordedApiServer.class.getClassLoader().getResourceAsStream(name);
        }
        if (in == null) {
            throw new IllegalArgumentException("no test resource " + name + " on the class path");
        }
        try (InputStream stream = in) {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test resource " + name, e);
        }
    }

    /** A response carrying a recorded fixture as its body. */
    public static ResponseDefinitionBuilder recorded(int status, String contentType, String path) {
        return aResponse().withStatus(status).withHeader("Content-Type", contentType).withBody(fixtureBytes(path));
    }
}
