package io.cloudwarden.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each module is usable without reading its code: pinned provider versions, every variable described and (unless it
 * is a plain switch) validated, every output described, and a README with the deploy steps.
 */
class ModuleConventionsTest {
    private static final Pattern VARIABLE = Pattern.compile("(?m)^variable\\s+\"([^\"]+)\"\\s*\\{");
    private static final Pattern OUTPUT = Pattern.compile("(?m)^output\\s+\"([^\"]+)\"\\s*\\{");

    @ParameterizedTest(name = "infra/{0}")
    @ValueSource(strings = {"aws", "azure", "gcp"})
    void moduleHasPinnedProvidersDescribedValidatedVariablesAndAReadme(String cloud) throws Exception {
        Path dir = Hcl.REPO.resolve("infra").resolve(cloud);
        for (String f : new String[] {"versions.tf", "variables.tf", "outputs.tf", "README.md"}) {
            assertThat(dir.resolve(f)).as("infra/%s/%s", cloud, f).isRegularFile();
        }

        String versions = Hcl.read(dir.resolve("versions.tf"));
        assertThat(versions).contains("required_version");
        Matcher providers = Pattern.compile("source\\s*=\\s*\"hashicorp/[a-z]+\"\\s*\\n\\s*version\\s*=\\s*\"[^\"]+\"")
                .matcher(versions);
        assertThat(providers.find()).as("infra/%s pins its providers' versions", cloud).isTrue();

        String variables = Hcl.read(dir.resolve("variables.tf"));
        Matcher v = VARIABLE.matcher(variables);
        int count = 0;
        while (v.find()) {
            count++;
            int open = v.end() - 1;
            String body = variables.substring(open + 1, Hcl.matching(variables, open));
            Map<String, String> attrs = Hcl.attributes(body);
            assertThat(Hcl.strings(attrs.getOrDefault("description", ""))).as("variable %s description", v.group(1))
                    .singleElement().asString().hasSizeGreaterThan(15);
            if (!"bool".equals(attrs.get("type"))) {
                assertThat(Hcl.nested(body, "validation")).as("variable %s validation", v.group(1)).isNotEmpty()
                        .allSatisfy(val -> assertThat(Hcl.attributes(val)).containsKeys("condition", "error_message"));
            }
        }
        assertThat(count).isPositive();

        String outputs = Hcl.read(dir.resolve("outputs.tf"));
        Matcher o = OUTPUT.matcher(outputs);
        while (o.find()) {
            int open = o.end() - 1;
            assertThat(Hcl.attributes(outputs.substring(open + 1, Hcl.matching(outputs, open))))
                    .as("output %s", o.group(1)).containsKeys("description", "value");
        }

        String readme = Files.readString(dir.resolve("README.md"));
        assertThat(readme).as("infra/%s/README.md deploy steps", cloud)
                .contains("./mvnw", "terraform init", "terraform plan", "terraform apply",
                        "cloudwarden.jar permissions --cloud " + cloud)
                .containsIgnoringCase("secret");
    }
}
