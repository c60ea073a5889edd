package io.cloudwarden.local;

import io.cloudwarden.engine.codify.Codifier;
import io.cloudwarden.engine.drift.BaselineLoader;
import io.cloudwarden.engine.drift.TerraformStateReader;
import io.cloudwarden.engine.spi.TerraformInstance;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.schema.SnapshotReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code codify}: the drift of {@code drift}, written as Terraform. Unmanaged resources become {@code import} blocks,
 * changed managed resources comment blocks; see {@link Codifier}. Exit 0 when it wrote something to import or report,
 * and also when there was nothing (the file then holds only its header): codify describes, it does not judge; exit 3
 * when the observed side left scopes unread (what is in them was not compared, so it is neither imported nor listed).
 */
@Command(name = "codify", mixinStandardHelpOptions = true,
        description = {"Write Terraform that adopts what runs outside Terraform: import blocks, change comments.",
                "One import block for every resource running outside Terraform, and a comment per managed resource"
                        + " whose live values differ from its declaration.",
                "Next: terraform plan -generate-config-out=generated.tf, review, apply."})
final class CodifyCommand implements Callable<Integer> {
    @Mixin
    Cli.Common common = new Cli.Common();

    @Mixin
    CloudScope scope = new CloudScope();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    BaselineOptions source = new BaselineOptions();

    @Option(names = "--out", paramLabel = "FILE", description = "Write the Terraform to FILE instead of stdout ('-': stdout).")
    Path out;

    /**
     * The Terraform for a baseline drift report ({@code drift --format html} and {@code sandbox --format html} show
     * it too). {@code observed} should keep {@code raw}: some import ids live only there.
     */
    static Codifier.Result codify(io.cloudwarden.model.DriftReport report, io.cloudwarden.model.Snapshot observed,
            List<Path> baselines, io.cloudwarden.engine.ProviderRegistry registry) {
        Map<String, Resource> byKey = new HashMap<>();
        observed.resources().forEach(r -> byKey.putIfAbsent(r.matchKey(), r));
        List<TerraformInstance> declared = new ArrayList<>();
        for (Path b : baselines) {
            if (BaselineLoader.detect(b) == BaselineLoader.Format.TERRAFORM) {
                declared.addAll(new TerraformStateReader().read(b));
            }
        }
        return new Codifier(registry.baselineMappers()).codify(report, byKey, declared);
    }

    @Override
    public Integer call() throws Exception {
        DriftCommand drift = new DriftCommand();
        drift.common = common;
        drift.scope = scope;
        drift.source = source;
        try (SandboxMode sb = scope.sandbox ? SandboxMode.start(common) : null) {
            // raw is kept: some import ids live only there (an Azure key's versioned URL, a VM's OS type).
            DriftCommand.Compared c = drift.compare(sb, SnapshotReader.Raw.KEEP);
            Codifier.Result result = codify(c.report(), c.observed(), source.baselines, c.registry());
            Output.write(out, spec.commandLine().getOut(), w -> w.write(result.hcl()));
            PrintWriter err = spec.commandLine().getErr();
            DriftCommand.warnUnread(err, c.report());
            return c.observedPartial() || c.report().partial() ? ExitCodes.PARTIAL : ExitCodes.OK;
        }
    }
}
