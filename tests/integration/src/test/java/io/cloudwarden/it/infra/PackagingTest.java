package io.cloudwarden.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.it.infra.Hcl.Block;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every handler, function and route Terraform names exists in the artifacts' sources, so a deploy cannot point a
 * trigger at something the build does not contain.
 */
class PackagingTest {
    private static final Path FUNCTIONS = Hcl.REPO.resolve("functions");

    @Test
    void awsHandlerNamesAreNamedHandlerBeansOfTheLambdaApp() throws IOException {
        Set<String> beans = new HashSet<>();
        Pattern named = Pattern.compile("@Named\\(\"([^\"]+)\"\\)\\s*(@\\w+(\\([^)]*\\))?\\s*)*public\\s+class\\s+\\w+"
                + "\\s+implements\\s+(RequestHandler|RequestStreamHandler)");
        for (Path java : javaFiles(FUNCTIONS.resolve("aws/src/main/java"))) {
            named.matcher(Files.readString(java)).results().forEach(m -> beans.add(m.group(1)));
        }
        List<String> functions = Hcl.objectKeys(Hcl.locals("aws").get("functions"));

        assertThat(beans).as("@Named Lambda handlers of functions/aws").isNotEmpty();
        assertThat(functions).as("Lambda functions of infra/aws (local.functions)").isNotEmpty();
        assertThat(beans).as("infra/aws deploys a handler functions/aws does not have").containsAll(functions);

        Block lambda = Hcl.blocks("aws", "aws_lambda_function").get(0);
        assertThat(lambda.attribute("for_each")).isEqualTo("local.functions");
        assertThat(lambda.body()).contains("QUARKUS_LAMBDA_HANDLER = each.key");
        Matcher refs = Pattern.compile("aws_lambda_function\\.fn\\[\"([a-z]+)\"]").matcher(String.join("\n",
                Hcl.module("aws").values()));
        refs.results().forEach(m -> assertThat(functions).as("aws_lambda_function.fn[\"%s\"]", m.group(1))
                .contains(m.group(1)));
    }

    @Test
    void awsArtifactPathIsWhatTheLambdaBuildProduces() throws IOException {
        String dflt = Hcl.strings(Hcl.attributes(variable("aws", "function_zip")).get("default")).get(0);

        assertThat(dflt).isEqualTo("../../functions/aws/target/function.zip");
        assertThat(Files.readString(FUNCTIONS.resolve("aws/pom.xml"))).contains("quarkus-amazon-lambda");
    }

    @Test
    void azureFunctionNamesAreFunctionJsonFoldersAndTheirSettingsAreSet() throws IOException {
        Path root = FUNCTIONS.resolve("azure/src/main/azure-functions");
        Set<String> folders = new HashSet<>();
        Set<String> settings = new HashSet<>();
        try (Stream<Path> s = Files.list(root)) {
            for (Path dir : s.filter(p -> Files.isRegularFile(p.resolve("function.json"))).toList()) {
                folders.add(dir.getFileName().toString());
                JsonNode fn = ModelJson.mapper().readTree(dir.resolve("function.json").toFile());
                Pattern.compile("%([A-Z0-9_]+)%").matcher(fn.toString()).results()
                        .forEach(m -> settings.add(m.group(1)));
            }
        }
        Map<String, String> locals = Hcl.locals("azure");
        String functionsRef = String.join("\n", Hcl.module("azure").values());
        Set<String> named = new HashSet<>();
        Pattern.compile("/functions/\\$\\{local\\.([a-z_]+)}").matcher(functionsRef).results()
                .forEach(m -> named.add(Hcl.strings(locals.get(m.group(1))).get(0)));
        Pattern.compile("/functions/([a-z]+)\"").matcher(functionsRef).results().forEach(m -> named.add(m.group(1)));

        assertThat(named).as("function names infra/azure points triggers at").isNotEmpty();
        assertThat(folders).as("function.json folders of functions/azure").containsAll(named);

        Block app = Hcl.blocks("azure", "azurerm_linux_function_app").get(0);
        String appSettings = app.attribute("app_settings");
        assertThat(settings).as("app settings the bindings read (%NAME%)").isNotEmpty()
                .allSatisfy(s -> assertThat(appSettings).as("app_settings of " + app.address()).contains(s + " "));
    }

    @Test
    void azurePoisonQueueIsTheWorkQueuesPoisonQueue() {
        Map<String, String> locals = Hcl.locals("azure");
        Block poison = Hcl.blocks("azure", "azurerm_storage_queue").stream().filter(b -> b.name().equals("poison"))
                .findFirst().orElseThrow();

        assertThat(Hcl.strings(locals.get("work_queue"))).containsExactly("cloudwarden-work");
        assertThat(poison.attribute("name")).isEqualTo("\"${local.work_queue}-poison\"");
    }

    @Test
    void gcpPathsAreRoutesTheCloudRunAppServes() throws IOException {
        Set<Pattern> served = new HashSet<>();
        Pattern path = Pattern.compile("@Path\\(\"([^\"]*)\"\\)");
        for (Path java : javaFiles(FUNCTIONS.resolve("gcp/src/main/java"))) {
            String text = Files.readString(java);
            if (!text.contains("@POST") && !text.contains("@GET")) {
                continue;
            }
            path.matcher(text).results().map(m -> m.group(1)).filter(p -> !p.equals("/")).forEach(p -> served.add(
                    Pattern.compile("/" + p.replaceFirst("^/", "").replaceAll("\\{[^}]+}", "[^/]+"))));
        }
        if (Files.readString(FUNCTIONS.resolve("gcp/pom.xml")).contains("quarkus-smallrye-health")) {
            served.add(Pattern.compile("/q/health(/live|/ready|/started)?"));
        }
        Map<String, String> routes = Map.copyOf(Hcl.attributes(stripBraces(Hcl.locals("gcp").get("routes"))));
        Set<String> used = new HashSet<>();
        routes.values().forEach(v -> used.addAll(Hcl.strings(v)));
        // a probe with its own port (the collector sidecar's health check, otel-collector.yaml) is not the app's route
        Hcl.module("gcp").values().forEach(t -> Pattern.compile("path\\s*=\\s*\"(/[^\"]*)\"(?!\\s*port\\s*=)").matcher(t).results()
                .forEach(m -> used.add(m.group(1))));

        assertThat(served).as("routes of functions/gcp").isNotEmpty();
        assertThat(used).as("paths infra/gcp calls").contains("/events/gcp", "/schedule", "/pubsub");
        assertThat(used).allSatisfy(u -> assertThat(served).as("infra/gcp calls %s, which functions/gcp does not "
                + "serve", u).anyMatch(p -> p.matcher(u).matches()));
        String all = String.join("\n", Hcl.module("gcp").values());
        assertThat(all).as("triggers use the routes map, not ad-hoc paths")
                .contains("local.routes.events", "local.routes.schedule", "local.routes.pubsub");
    }

    /**
     * Every {@code CLOUDWARDEN_*} setting a module gives its app is one the app reads: its generic key
     * ({@code CLOUDWARDEN_A_B} → {@code cloudwarden.a.b}) is a key the sources name (hyphens read as dots), or the app
     * binds the variable by name ({@code ${NAME:}} in application.properties, {@code %NAME%} in function.json, a
     * {@code "NAME"} literal), or it is a per-cloud {@code _ACCOUNTS} / {@code _REGIONS} list of the core. A typo
     * here would otherwise deploy a setting nothing reads.
     */
    @ParameterizedTest(name = "infra/{0}")
    @ValueSource(strings = {"aws", "azure", "gcp"})
    void everyCloudwardenSettingTheModuleSetsIsReadByTheApp(String cloud) throws IOException {
        Set<String> keys = new HashSet<>();
        Set<String> bound = new HashSet<>();
        Pattern key = Pattern.compile("\"(cloudwarden\\.[A-Za-z0-9.-]+)\"");
        Pattern name = Pattern.compile("\"(CLOUDWARDEN_[A-Z0-9_]+)\"|\\$\\{(CLOUDWARDEN_[A-Z0-9_]+):|%(CLOUDWARDEN_[A-Z0-9_]+)%");
        for (Path dir : List.of(FUNCTIONS.resolve("core/src/main"), FUNCTIONS.resolve(cloud + "/src/main"),
                Hcl.REPO.resolve("providers/" + cloud + "/src/main"), Hcl.REPO.resolve("common/engine/src/main"))) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path f : s.filter(Files::isRegularFile).toList()) {
                    String text = Files.readString(f);
                    key.matcher(text).results().forEach(m -> keys.add(m.group(1).toLowerCase(Locale.ROOT)
                            .replace('-', '.')));
                    name.matcher(text).results().forEach(m -> bound.add(m.group(1) != null ? m.group(1)
                            : m.group(2) != null ? m.group(2) : m.group(3)));
                }
            }
        }
        Set<String> set = new TreeSet<>();
        Hcl.module(cloud).values().forEach(t -> Pattern.compile("(?<![A-Za-z0-9_])(CLOUDWARDEN_[A-Z0-9_]+)")
                .matcher(t).results().forEach(m -> set.add(m.group(1))));

        assertThat(set).as("settings infra/%s gives the app", cloud).isNotEmpty();
        assertThat(set).allSatisfy(v -> assertThat(bound.contains(v)
                || keys.contains("cloudwarden." + v.substring("CLOUDWARDEN_".length()).toLowerCase(Locale.ROOT)
                        .replace('_', '.'))
                || v.matches("CLOUDWARDEN_(AWS|AZURE|GCP)_(ACCOUNTS|REGIONS)"))
                .as("infra/%s sets %s, which functions/%s does not read", cloud, v, cloud).isTrue());
    }

    private static String stripBraces(String objectExpression) {
        String e = objectExpression.trim();
        return e.substring(1, e.length() - 1);
    }

    private static String variable(String cloud, String name) {
        String text = Hcl.read(Hcl.REPO.resolve("infra").resolve(cloud).resolve("variables.tf"));
        Matcher m = Pattern.compile("variable\\s+\"" + name + "\"\\s*\\{").matcher(text);
        assertThat(m.find()).as("variable " + name + " in infra/" + cloud).isTrue();
        int open = m.end() - 1;
        return text.substring(open + 1, Hcl.matching(text, open));
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }
}
