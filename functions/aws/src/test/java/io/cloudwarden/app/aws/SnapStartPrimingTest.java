package io.cloudwarden.app.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.RequestPattern;
import io.cloudwarden.functions.Cloudwarden;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The SnapStart hook builds the runtime and runs the rule pack without one call to AWS (a snapshot must not carry
 * estate data), and a later event is still handled from the primed runtime.
 */
@QuarkusTest
@TestProfile(Profiles.Events.class)
class SnapStartPrimingTest {
    @InjectWireMock
    WireMockServer wm;

    @Inject
    SnapStartPriming priming;

    @Inject
    Cloudwarden cw;

    @Test
    void primingBuildsTheRuntimeAndEvaluatesEveryTypeWithoutCallingAws() {
        wm.resetAll();

        priming.beforeCheckpoint(null);

        assertThat(wm.countRequestsMatching(RequestPattern.everything()).getCount()).isZero();
        assertThat(cw.policies().rules()).isNotEmpty();
    }
}
