package io.cloudwarden.provider.gcp;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.cloudwarden.engine.spi.ProviderConfig;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.provider.gcp.session.GcpSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base for the recorded-API tier: a WireMock server on 127.0.0.1 standing in for every Google API root. */
public abstract class RecordedApi {
    protected WireMockServer wm;
    protected GcpSession session;

    @BeforeEach
    void startServer() {
        wm = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
        session = (GcpSession) new GcpProvider().open(config());
    }

    @AfterEach
    void stopServer() {
        session.close();
        wm.stop();
    }

    protected ProviderConfig config() {
        return new ProviderConfig(Cloud.GCP, Optional.of(URI.create(wm.baseUrl())), List.of("cw-demo-prod"),
                List.of(), Map.of("maxAttempts", "3", "initialRetryDelayMillis", "10", "totalTimeoutSeconds", "10",
                        // the recorded metrics (recorded/monitoring) cover one day of 5-minute periods
                        "utilizationWindowDays", "1"));
    }

    public static String recorded(String path) {
        try (InputStream in = RecordedApi.class.getResourceAsStream("/recorded/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture recorded/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
