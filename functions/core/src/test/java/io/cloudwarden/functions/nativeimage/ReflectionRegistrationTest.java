package io.cloudwarden.functions.nativeimage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.model.ModelJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A native image sees only the reflection it is told about, and Jackson binds the model's, the engine's and the
 * core's records and enums reflectively (accessors, canonical constructors, enum constants). Each of those modules
 * ships {@code META-INF/native-image/io.cloudwarden/<artifact>/reflect-config.json}, which GraalVM and Mandrel read
 * from the class path; this test fails when a record or enum is added to one of them without its entry there.
 */
class ReflectionRegistrationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "io.cloudwarden.model, cloudwarden-model, io.cloudwarden.model.Resource",
            "io.cloudwarden.engine, cloudwarden-engine, io.cloudwarden.engine.policy.PolicyEngine",
            "io.cloudwarden.functions, cloudwarden-functions, io.cloudwarden.functions.Cloudwarden"})
    void everyRecordAndEnumIsRegisteredForReflectionWithItsMembers(String pkg, String artifact, String anchor)
            throws Exception {
        Set<String> declared = recordsAndEnums(Class.forName(anchor), pkg);
        Map<String, JsonNode> registered = registered(artifact);

        assertThat(declared).as("records and enums found under %s", pkg).isNotEmpty();
        assertThat(registered.keySet())
                .as("META-INF/native-image/io.cloudwarden/%s/reflect-config.json must list every record and enum"
                        + " of %s (add the missing names with the flags the other entries have)", artifact, pkg)
                .containsAll(declared);
        for (String name : declared) {
            JsonNode entry = registered.get(name);
            for (String flag : new String[] {"allDeclaredConstructors", "allDeclaredMethods", "allDeclaredFields"}) {
                assertThat(entry.path(flag).asBoolean()).as("%s: %s", name, flag).isTrue();
            }
        }
        assertThat(declared).as("entries naming a class that no longer exists").containsAll(registered.keySet());
    }

    private static Map<String, JsonNode> registered(String artifact) throws IOException {
        String path = "/META-INF/native-image/io.cloudwarden/" + artifact + "/reflect-config.json";
        Map<String, JsonNode> out = new TreeMap<>();
        try (InputStream in = ReflectionRegistrationTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            for (JsonNode e : ModelJson.mapper().readTree(in)) {
                out.put(e.path("name").asText(), e);
            }
        }
        return out;
    }

    /** Every top-level or nested record and enum in the class-path root (directory or jar) holding {@code anchor}. */
    private static Set<String> recordsAndEnums(Class<?> anchor, String pkg) throws IOException, URISyntaxException {
        Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> out = new TreeSet<>();
        if (Files.isDirectory(root)) {
            collect(root, root.resolve(pkg.replace('.', '/')), out);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                Path base = jar.getPath("/");
                collect(base, base.resolve(pkg.replace('.', '/')), out);
            }
        }
        return out;
    }

    private static void collect(Path root, Path dir, Set<String> out) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                try {
                    Class<?> c = Class.forName(name, false, ReflectionRegistrationTest.class.getClassLoader());
                    if ((c.isRecord() || c.isEnum()) && !c.isAnonymousClass() && !c.isSynthetic()) {
                        out.add(name);
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new AssertionError("cannot load " + name, e);
                }
            }
        }
    }
}
