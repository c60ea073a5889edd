package io.cloudwarden.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What a baseline comparison reads: the options {@code drift} and {@code codify} share. */
final class BaselineOptions {
    @Option(names = "--baseline", paramLabel = "FILE",
            description = {"terraform.tfstate or approved snapshot (repeatable: several states are combined).",
                    "Required, except with --sandbox (default: the sandbox's Terraform states)."})
    List<Path> baselines = new ArrayList<>();

    @Option(names = "--snapshot", paramLabel = "FILE",
            description = "Observed snapshot: a file, or @latest from the state (default: scan what the baseline names).")
    Path snapshot;

    @Option(names = "--ignore", paramLabel = "FILE", description = "Ignore file (default ./.cloudwardenignore).")
    Path ignore;
}
