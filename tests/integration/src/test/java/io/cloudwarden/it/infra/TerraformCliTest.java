package io.cloudwarden.it.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Terraform CLI's own checks, where the CLI is installed: {@code fmt -check} over {@code infra/}, and
 * {@code init -backend=false} + {@code validate} of {@code infra/aws} when an unpacked {@code hashicorp/aws} provider
 * is available as a filesystem mirror ({@code CLOUDWARDEN_TF_PLUGIN_MIRROR}, default {@code /opt/tf-plugins}).
 * Skipped with the reason otherwise. Validation runs on a copy, so no {@code .terraform} or lock file is written into
 * the repository.
 */
class TerraformCliTest {
    @TempDir
    Path work;

    @Test
    void infraIsFormattedTheWayTerraformFmtWritesIt() throws Exception {
        Path terraform = terraform();

        Result fmt = run(Hcl.REPO, Map.of(), terraform.toString(), "fmt", "-check", "-recursive", "-list=true",
                "infra");

        assertThat(fmt.code()).as("files terraform fmt would rewrite (run: terraform fmt -recursive infra):\n%s",
                fmt.output()).isZero();
    }

    @Test
    void awsModuleValidatesAgainstTheRealProviderSchema() throws Exception {
        Path terraform = terraform();
        Path mirror = Path.of(Optional.ofNullable(System.getenv("CLOUDWARDEN_TF_PLUGIN_MIRROR"))
                .orElse("/opt/tf-plugins"));
        assumeTrue(Files.isDirectory(mirror.resolve("registry.terraform.io/hashicorp/aws")),
                "no hashicorp/aws provider mirror at " + mirror + " (set CLOUDWARDEN_TF_PLUGIN_MIRROR): "
                        + "terraform validate needs the provider");
        Path module = work.resolve("aws");
        copy(Hcl.REPO.resolve("infra/aws"), module);
        Path rc = work.resolve("terraformrc");
        Files.writeString(rc, "provider_installation {\n  filesystem_mirror {\n    path    = \""
                + mirror.toString().replace("\\", "/") + "\"\n    include = [\"registry.terraform.io/hashicorp/*\"]\n"
                + "  }\n  direct {\n    exclude = [\"registry.terraform.io/hashicorp/*\"]\n  }\n}\n");
        Map<String, String> env = Map.of("TF_CLI_CONFIG_FILE", rc.toString(), "TF_IN_AUTOMATION", "1",
                "CHECKPOINT_DISABLE", "1");

        for (Path dir : List.of(module, module.resolve("modules/member-role"))) {
            Result init = run(dir, env, terraform.toString(), "init", "-backend=false", "-input=false", "-no-color");
            assertThat(init.code()).as("terraform init in %s:\n%s", dir, init.output()).isZero();
            Result validate = run(dir, env, terraform.toString(), "validate", "-no-color");
            assertThat(validate.code()).as("terraform validate in %s:\n%s", dir, validate.output()).isZero();
        }
    }

    private static Path terraform() {
        Optional<Path> found = Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator))
                .filter(s -> !s.isBlank()).map(s -> Path.of(s, "terraform")).filter(Files::isExecutable).findFirst();
        assumeTrue(found.isPresent(), "terraform is not on the PATH: the Terraform CLI checks are skipped");
        return found.get();
    }

    private record Result(int code, String output) {
    }

    private static Result run(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> e = new HashMap<>(env);
        pb.environment().putAll(e);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path src : s.toList()) {
                Path rel = from.relativize(src);
                if (rel.toString().startsWith(".terraform") || rel.toString().startsWith(".build")) {
                    continue;
                }
                Path dst = to.resolve(rel.toString());
                if (Files.isDirectory(src)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
