package io.cloudwarden.app.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.model.ModelJson;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class UnexpectedFailureMapperTest {
    private final UnexpectedFailureMapper mapper = new UnexpectedFailureMapper();

    @Test
    void anUnexpectedFailureFailsTheInvocationNamingOnlyItsType() throws Exception {
        java.util.List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(UnexpectedFailureMapper.class.getName());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord rec) {
                logged.add(String.valueOf(rec.getMessage()) + " " + java.util.Arrays.toString(rec.getParameters())
                        + " " + rec.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(capture);
        Response r;
        try {
            r = mapper.toResponse(new IllegalStateException("container cw-state: AccountKey=abc rejected"));
        } finally {
            jul.removeHandler(capture);
        }
        // the log names the type and the place, never the message (it may quote a connection string)
        assertThat(logged).hasSize(1);
        assertThat(logged.get(0)).contains("IllegalStateException").doesNotContain("AccountKey");

        assertThat(r.getStatus()).isEqualTo(500);
        JsonNode body = ModelJson.mapper().readTree((byte[]) r.getEntity());
        assertThat(body.get("Outputs").isEmpty()).isTrue();
        assertThat(body.get("Logs").get(0).asText()).isEqualTo("internal error (IllegalStateException)");
        assertThat(body.toString()).doesNotContain("AccountKey");
    }

    @Test
    void jaxRsOwnAnswersPassThrough() {
        assertThat(mapper.toResponse(new NotAllowedException("POST")).getStatus()).isEqualTo(405);
    }
}
