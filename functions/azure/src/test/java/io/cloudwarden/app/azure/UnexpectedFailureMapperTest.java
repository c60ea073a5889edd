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
        Response r = mapper.toResponse(new IllegalStateException("container cw-state: AccountKey=abc rejected"));

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
