package io.cloudwarden.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.functions.permissions.TriggersGenerator;
import io.cloudwarden.model.Cloud;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The subscription lists Terraform deploys are exactly what the type declarations derive: a type that gains or drops
 * an event without {@code infra/<cloud>/triggers.json} being regenerated fails here, naming the command.
 */
class GeneratedTriggersTest {
    private static final TriggersGenerator GENERATOR = new TriggersGenerator(ProviderRegistry.discover());

    @ParameterizedTest(name = "infra/{0}/triggers.json is what the types declare")
    @EnumSource(Cloud.class)
    void committedTriggerListsEqualTheGeneratorsOutput(Cloud cloud) throws IOException {
        String relative = TriggersGenerator.relativePath(cloud);
        Path file = Hcl.REPO.resolve(relative);
        String regenerate = "regenerate it with: " + TriggersGenerator.command(cloud) + " --out " + relative;

        assertThat(Files.exists(file)).as(relative + " is missing; " + regenerate).isTrue();
        assertThat(Files.readString(file)).as(relative + " differs from the type declarations; " + regenerate)
                .isEqualTo(GENERATOR.render(cloud));
    }
}
