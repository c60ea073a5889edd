package io.cloudwarden.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.spi.Shard;
import io.cloudwarden.model.Cloud;
import io.cloudwarden.model.ModelJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a newcomer meets first: options, help, outputs, the terminal. */
class CliNewcomerTest {
    static final String SNAPSHOT = Path.of("../../examples/snapshot.json").toAbsolutePath().normalize().toString();
    static final String EVENT = Path.of("../../examples/sandbox/events/aws/02-put-bucket-policy.json")
            .toAbsolutePath().normalize().toString();

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    // ---------------------------------------------------------------------------------------------- global options

    @Test
    void globalOptionsMayComeBeforeTheCommand() throws Exception {
        Path state = dir.resolve("state");
        Run before = cli("--state-dir", state.toString(), "diff", "@latest", "@latest");
        assertThat(before.err()).doesNotContain("Unknown option").contains("no snapshot in " + state);
        assertThat(before.code()).isEqualTo(ExitCodes.INPUT);

        Path config = dir.resolve("cw.properties");
        Files.writeString(config, "cloudwarden.state=" + dir.resolve("from-config") + "\n");
        assertThat(cli("--config", config.toString(), "-v", "--quiet", "--no-color", "diff", "@latest", "@latest")
                .err()).contains("no snapshot in " + dir.resolve("from-config"));
    }

    @Test
    void anOptionAfterTheCommandWinsOverTheSameOptionBeforeIt() {
        Run run = cli("--state-dir", dir.resolve("outer").toString(), "diff", "--state-dir",
                dir.resolve("inner").toString(), "@latest", "@latest");
        assertThat(run.err()).contains("no snapshot in " + dir.resolve("inner"));
    }

    @Test
    void globalOptionsReachNestedCommands() {
        Run run = cli("--state-dir", dir.resolve("s").toString(), "audit", "verify", "--sandbox");
        assertThat(run.err() + run.out()).doesNotContain("Unknown option").contains(dir.resolve("s").resolve("sandbox")
                .toString());
    }

    // ------------------------------------------------------------------------------------------------------- help

    @Test
    void theTopLevelHelpShowsEachCommandsWholeSummary() {
        CommandLine cl = Cli.commandLine();
        cl.setUsageHelpAutoWidth(false);
        cl.setUsageHelpWidth(80);
        String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
        String list = help.substring(help.indexOf("Commands:")).replaceAll("\\s+", " ");
        cl.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help")) {
                return; // picocli's own HelpCommand, with picocli's text
            }
            String[] description = sub.getCommandSpec().usageMessage().description();
            assertThat(list).as(name).contains(" " + name + " " + description[0] + " ");
        });
    }

    @Test
    void everyDescriptionIsWholeParagraphsThatPicocliWraps() {
        assertDescriptions(Cli.commandLine());
    }

    private static void assertDescriptions(CommandLine cl) {
        String name = cl.getCommandSpec().qualifiedName();
        String[] description = cl.getCommandSpec().usageMessage().description();
        assertThat(description).as(name).isNotEmpty();
        assertThat(description[0]).as(name + ": one-line summary").endsWith(".").doesNotContain("\n")
                .hasSizeLessThanOrEqualTo(100);
        for (String paragraph : description) {
            // a hard-wrapped line ends mid-sentence; a paragraph ends like a sentence
            assertThat(paragraph).as(name + ": " + paragraph).matches("(?s).*[.:)]$");
        }
        for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
            for (String d : o.description()) {
                assertThat(d).as(name + " " + o.longestName()).matches("(?s).*[.:)]$");
            }
        }
        cl.getSubcommands().values().stream().filter(c -> !(c.getCommand() instanceof CommandLine.HelpCommand))
                .forEach(CliNewcomerTest::assertDescriptions);
    }

    // ---------------------------------------------------------------------------------------------------- outputs

    @Test
    void outDashWritesToStdoutNotToAFileNamedDash() throws Exception {
        Run run = cli("check", "--snapshot", SNAPSHOT, "--format", "json", "--out", "-");
        assertThat(run.code()).isZero();
        assertThat(ModelJson.mapper().readTree(run.out()).get("findings").size()).isGreaterThan(5);
        assertThat(Path.of("-")).doesNotExist();

        StringWriter stdout = new StringWriter();
        Output.write(Path.of("-"), new PrintWriter(stdout), w -> w.write("report"));
        assertThat(stdout.toString()).isEqualTo("report");
        assertThat(Path.of("-")).doesNotExist();
    }

    @Test
    void theTableNamesEachFindingById() throws Exception {
        JsonNode json = ModelJson.mapper().readTree(cli("check", "--snapshot", SNAPSHOT, "--format", "json").out());
        String table = cli("check", "--snapshot", SNAPSHOT).out();
        assertThat(table.lines().findFirst().orElseThrow()).contains(" ID ");
        json.get("findings").forEach(f -> assertThat(table).contains(f.get("id").asText())
                .contains(f.at("/resource/id").asText()));
    }

    @Test
    void everyCommandPrintsJsonInOneLayout() throws Exception {
        List<String> outputs = List.of(
                cli("check", "--snapshot", SNAPSHOT, "--format", "json").out(),
                cli("event", "--cloud", "aws", "--file", EVENT, "--parse-only").out(),
                cli("permissions", "--cloud", "aws", "--role", "scanner").out(),
                cli("rules", "--format", "json").out(),
                cli("status", "--format", "json", "--state-dir", dir.toString()).out());
        for (String json : outputs) {
            assertThat(json).isNotBlank().doesNotContain("\" : ").doesNotContain("[ ]").doesNotContain("{ }");
            assertThat(json).isEqualTo(ModelJson.prettyString(ModelJson.mapper().readTree(json)));
        }
    }

    @Test
    void anActorWithoutAnIntermediaryHasNoViaField() throws Exception {
        JsonNode events = ModelJson.mapper().readTree(cli("event", "--cloud", "aws", "--file", EVENT, "--parse-only")
                .out()).get("events");
        assertThat(events).isNotEmpty();
        events.forEach(e -> {
            JsonNode via = e.at("/actor/via");
            assertThat(via.isMissingNode() || !via.asText().isEmpty()).as(e.toString()).isTrue();
        });
        var actor = new io.cloudwarden.model.Actor("user", "u-1", "ada", "");
        String json = ModelJson.mapper().writeValueAsString(actor);
        assertThat(json).doesNotContain("via");
        assertThat(ModelJson.mapper().readValue(json, io.cloudwarden.model.Actor.class)).isEqualTo(actor);
    }

    // -------------------------------------------------------------------------------------------- --sandbox

    @Test
    void diffAuditStatusAndCompactTakeTheSandbox() {
        String sandboxState = dir.resolve("sandbox").toString();
        assertThat(cli("diff", "--sandbox", "@previous", "@latest", "--state-dir", dir.toString()).err())
                .contains("no previous snapshot in " + sandboxState);
        assertThat(cli("status", "--sandbox", "--state-dir", dir.toString()).code()).isZero();
        assertThat(cli("compact", "--sandbox", "--state-dir", dir.toString()).out()).contains(sandboxState);
        Run audit = cli("audit", "verify", "--sandbox", "--state-dir", dir.toString());
        assertThat(audit.out() + audit.err()).contains(sandboxState);
    }

    @Test
    void permissionsRefuseTheSandboxAndSayWhy() {
        Run run = cli("permissions", "--sandbox", "--cloud", "aws", "--role", "scanner");
        assertThat(run.code()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.err()).contains("--sandbox: permissions are generated from the code");
    }

    // ---------------------------------------------------------------------------------------- rules, completion

    @Test
    void rulesListsTheBuiltInPackWithItsMappingsAndTheLoadedRules() throws Exception {
        Run builtIn = cli("rules");
        assertThat(builtIn.code()).isZero();
        assertThat(builtIn.out()).contains("Built-in rules").contains("used by 'check'")
                .containsPattern("storage-no-public-access +high +storage.bucket +CIS AWS 2.1.4, CIS Azure 3.7");

        Path rules = dir.resolve("mine.yaml");
        Files.writeString(rules, """
                rules:
                  - id: kms-enabled
                    title: Keys must be enabled
                    severity: medium
                    resource: kms.key
                    condition: "resource.attributes.enabled"
                    controls: ["ACME 1.2"]
                """);
        Run loaded = cli("rules", "--policies", rules.toString());
        assertThat(loaded.out()).contains("not used by 'check' while rules are loaded").contains("Loaded rules (1)")
                .containsPattern("kms-enabled +medium +kms.key +ACME 1.2 \\(.*mine.yaml\\)");
        JsonNode json = ModelJson.mapper().readTree(cli("rules", "--policies", rules.toString(), "--format", "json")
                .out());
        assertThat(json.get("checkUses").asText()).isEqualTo("loaded");
        assertThat(json.at("/loaded/0/controls/0").asText()).isEqualTo("ACME 1.2");
    }

    @Test
    void completionPrintsABashScriptForEveryCommandAndOption() {
        Run run = cli("completion");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("complete -F").contains("cloudwarden").contains("sandbox").contains("--state-dir")
                .contains("--finding");
        assertThat(cli("completion", "zsh").out()).isEqualTo(run.out());
        assertThat(cli("completion", "fish").err()).contains("SHELL: expected bash or zsh but was 'fish'");
    }

    // ------------------------------------------------------------------------------------------ configuration

    @Test
    void propertiesFilesAreDiscoveredUserThenProjectThenConfigWins() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/.cloudwarden")).getParent();
        Path work = Files.createDirectories(dir.resolve("work"));
        Cli.Common common = new Cli.Common();
        assertThat(Runtime.configFiles(common, home, work)).isEmpty();

        Files.writeString(home.resolve(".cloudwarden/config.properties"), "cloudwarden.state=/from/user\n"
                + "cloudwarden.guardrails.max-changes=3\n");
        assertThat(Runtime.config(Runtime.configFiles(common, home, work), common, Map.of()).stateLocation())
                .isEqualTo("/from/user");

        Files.writeString(work.resolve("cloudwarden.properties"), "cloudwarden.state=/from/project\n");
        var cfg = Runtime.config(Runtime.configFiles(common, home, work), common, Map.of());
        assertThat(cfg.stateLocation()).isEqualTo("/from/project");
        assertThat(cfg.get("cloudwarden.guardrails.max-changes")).contains("3");

        common.config = Files.writeString(dir.resolve("explicit.properties"), "cloudwarden.state=/from/config\n");
        assertThat(Runtime.config(Runtime.configFiles(common, home, work), common, Map.of()).stateLocation())
                .isEqualTo("/from/config");
        common.stateDir = "/from/option";
        assertThat(Runtime.config(Runtime.configFiles(common, home, work), common, Map.of()).stateLocation())
                .isEqualTo("/from/option");
    }

    // ------------------------------------------------------------------------------------------------ terminal

    @Test
    void progressSpeaksOfCloudsAndResourceTypesNotShards() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Output.Progress progress = new Output.Progress(true, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Shard s3East = new Shard(Cloud.AWS, "1", "us-east-1", "storage.bucket");
        Shard s3West = new Shard(Cloud.AWS, "1", "eu-west-1", "storage.bucket");
        Shard users = new Shard(Cloud.AWS, "1", "global", "identity.user");
        Shard vms = new Shard(Cloud.AZURE, "s", "westeurope", "compute.instance");
        progress.planned(List.of(s3East, s3West, users, vms));
        assertThat(progress.last()).isEqualTo("scanning: AWS 0/2 resource types · Azure 0/1");
        progress.shardFinished(s3East, 3);
        assertThat(progress.last()).isEqualTo("scanning: AWS 0/2 resource types · Azure 0/1"); // one region left
        progress.shardFinished(s3West, 1);
        progress.shardFailed(vms, null);
        assertThat(progress.last()).isEqualTo("scanning: AWS 1/2 resource types · Azure 1/1");
        progress.shardFinished(users, 2);
        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("\r\u001b[Kscanning: AWS 1/2 resource types").doesNotContain("shard")
                .endsWith("\r\u001b[K"); // cleared before the report
    }

    @Test
    void progressIsSilentWhenNotOnATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Output.Progress progress = new Output.Progress(false, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        progress.planned(List.of(new Shard(Cloud.GCP, "p", "global", "kms.key")));
        progress.step("applying fixes", 1, 2);
        assertThat(bytes.size()).isZero();
        assertThat(progress.last()).isEqualTo("applying fixes 1/2");
    }

    @Test
    void progressAndColourOnlyOnATerminalAndNeverInCiOrWhenAskedNotTo() {
        Cli.Common plain = new Cli.Common();
        Cli.Common quiet = new Cli.Common();
        quiet.quiet = true;
        Cli.Common noColor = new Cli.Common();
        noColor.noColor = true;

        Terminal tty = new Terminal(true, Map.of("TERM", "xterm"));
        assertThat(tty.progress(plain)).isTrue();
        assertThat(tty.color(plain)).isTrue();
        assertThat(tty.progress(quiet)).isFalse();
        assertThat(tty.color(noColor)).isFalse();
        assertThat(new Terminal(true, Map.of("NO_COLOR", "1")).color(plain)).isFalse();
        assertThat(new Terminal(true, Map.of("TERM", "dumb")).color(plain)).isFalse();

        Terminal ci = new Terminal(true, Map.of("CI", "true"));
        assertThat(ci.progress(plain)).isFalse();
        assertThat(ci.color(plain)).isFalse();
        Terminal pipe = new Terminal(false, Map.of());
        assertThat(pipe.progress(plain)).isFalse();
        assertThat(pipe.color(plain)).isFalse();
    }

    @Test
    void tablesFitColumnsOrTheDefaultWidthWhenItCannotBeTold() {
        assertThat(new Terminal(false, Map.of("COLUMNS", "90")).width()).isEqualTo(90);
        assertThat(new Terminal(false, Map.of()).width()).isEqualTo(Terminal.DEFAULT_WIDTH);
        assertThat(new Terminal(false, Map.of("COLUMNS", "wide")).width()).isEqualTo(Terminal.DEFAULT_WIDTH);
    }
}
