package io.cloudwarden.local;

import io.cloudwarden.engine.ProviderRegistry;
import io.cloudwarden.engine.audit.AuditChain;
import io.cloudwarden.engine.audit.AuditVerification;
import io.cloudwarden.engine.audit.Ed25519KeyFile;
import io.cloudwarden.engine.audit.OcsfAuditEvents;
import io.cloudwarden.engine.audit.TrustedKey;
import io.cloudwarden.engine.spi.StateStore;
import io.cloudwarden.functions.AuditTrails;
import io.cloudwarden.functions.CoreConfig;
import io.cloudwarden.functions.StateStores;
import io.cloudwarden.model.ModelJson;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cloudwarden audit verify|export|keygen}: thin over {@link AuditChain}; docs/AUDIT.md has the details. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Work with the audit trail (docs/AUDIT.md).",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class, AuditCommand.Seal.class,
                AuditCommand.Keygen.class})
final class AuditCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "a subcommand is required: verify, export, seal or keygen");
    }

    /** The trail of the configured state, and where a sandbox trail lives when the state has none. */
    private record Trail(CoreConfig config, ProviderRegistry registry, StateStore store, AuditChain chain) {
        static Trail open(Cli.Common common) {
            return open(common, false);
        }

        /** {@code sandbox}: the trail {@code sandbox} and {@code sandbox --apply} write, under the state's sandbox/. */
        static Trail open(Cli.Common common, boolean sandbox) {
            CoreConfig cfg = sandbox ? SandboxMode.stateOnly(common) : Runtime.config(common, Map.of());
            ProviderRegistry registry = ProviderRegistry.discover();
            StateStore store = StateStores.open(cfg.stateLocation(), registry, cfg);
            return new Trail(cfg, registry, store, AuditTrails.open(cfg, registry, store, Clock.systemUTC()));
        }

        /** "no trail" message: names the state searched and, when the sandbox has a trail, how to verify that. */
        String noTrail() {
            String msg = "no audit trail in " + store.describe() + " (neither audit.jsonl nor audit/): nothing was"
                    + " verified";
            String location = config.stateLocation();
            if (!location.matches("^[a-z][a-z0-9+.-]*://.*")) {
                Path sandbox = (location.startsWith("file:") ? Path.of(java.net.URI.create(location))
                        : Path.of(location)).resolve("sandbox");
                if (Files.exists(sandbox.resolve(AuditChain.KEY)) || Files.exists(sandbox.resolve("audit"))) {
                    msg += "; the sandbox's trail is in " + sandbox + ": cloudwarden audit verify --state-dir "
                            + sandbox;
                }
            }
            return msg;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Verify the audit trail: records, segment digests and their signatures.",
                    "Checks the hash chain of every record, each closed segment against its digest, the digests' chain"
                            + " and, with a trusted key, their signatures.",
                    "Exit 0 when intact; 1 naming each problem found; 2 when there is no trail to verify."})
    static final class Verify implements Callable<Integer> {
        @Mixin
        Cli.Common common = new Cli.Common();

        @Option(names = "--sandbox", description = "Verify the sandbox's trail (<state-dir>/sandbox/audit/).")
        boolean sandbox;

        @Option(names = "--since", paramLabel = "TIME", description = "Only records at or after TIME (ISO 8601).")
        Instant since;

        @Option(names = "--until", paramLabel = "TIME", description = "Only records before TIME (ISO 8601).")
        Instant until;

        @Option(names = "--segment", paramLabel = "N", description = "Only segment N (0 = a pre-segment audit.jsonl).")
        Long segment;

        @Option(names = "--key", paramLabel = "KEY",
                description = {"The trusted signing key: an Ed25519 PEM file (private or public), a KMS key ARN, a"
                        + " Key Vault key URL or a Cloud KMS key version (default: cloudwarden.audit.key)."})
        String key;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Trail trail = Trail.open(common, sandbox);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<String> keyRef = Optional.ofNullable(key).or(() -> trail.config().get(AuditTrails.SIGNING_KEY));
            Optional<TrustedKey> trusted;
            try {
                trusted = keyRef.map(k -> AuditTrails.trustedKey(k, trail.registry(), trail.config()));
            } catch (io.cloudwarden.engine.audit.AuditSigningException e) {
                err.println("cannot read the trusted key: " + e.getMessage());
                err.flush();
                return ExitCodes.INPUT;
            }
            AuditChain.Scope scope = segment != null ? AuditChain.Scope.segment(segment)
                    : new AuditChain.Scope(Optional.ofNullable(since), Optional.ofNullable(until), OptionalLong.empty());
            AuditVerification v = trail.chain().verify(scope, trusted);
            try {
                if (v.status() == AuditVerification.Status.NO_TRAIL) {
                    err.println(trail.noTrail());
                    return ExitCodes.INPUT;
                }
                v.notes().forEach(n -> out.println("note: " + n));
                if (v.intact()) {
                    out.println("audit trail intact: " + v.records() + " records in " + v.segments()
                            + " segments, " + v.signedDigests() + " signed digests verified"
                            + trusted.map(t -> " under " + t.keyId()).orElse("") + " (" + trail.store().describe()
                            + ")");
                    return ExitCodes.OK;
                }
                err.println("audit trail BROKEN in " + trail.store().describe() + ": " + v.problems().size()
                        + " problem(s)");
                for (AuditVerification.Problem p : v.problems()) {
                    err.println("  " + p.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": "
                            + p.message());
                }
                return ExitCodes.FINDINGS;
            } finally {
                out.flush();
                err.flush();
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Stream the audit records from --since (to --until) to stdout, one per line.",
                    "The records as stored (jsonl) or OCSF " + OcsfAuditEvents.VERSION + " API Activity events"
                            + " (ocsf). Export does not verify; run audit verify for that."})
    static final class Export implements Callable<Integer> {
        enum Format { jsonl, ocsf }

        @Mixin
        Cli.Common common = new Cli.Common();

        @Option(names = "--since", paramLabel = "TIME", required = true,
                description = "Records at or after TIME (ISO 8601, e.g. 2026-11-01T00:00:00Z).")
        Instant since;

        @Option(names = "--until", paramLabel = "TIME", description = "Records before TIME (default: all).")
        Instant until;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl",
                description = "jsonl (default) or ocsf.")
        Format format;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Trail trail = Trail.open(common);
            if (!trail.chain().exists()) {
                spec.commandLine().getErr().println(trail.noTrail().replace("nothing was verified",
                        "nothing to export"));
                spec.commandLine().getErr().flush();
                return ExitCodes.INPUT;
            }
            PrintWriter out = spec.commandLine().getOut();
            var writer = ModelJson.mapper().writer();
            trail.chain().forEach(AuditChain.Scope.between(since, until), r -> {
                try {
                    out.println(writer.writeValueAsString(format == Format.ocsf ? OcsfAuditEvents.of(r) : r));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException("cannot serialize audit record " + r.seq(), e);
                }
            });
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "seal", mixinStandardHelpOptions = true,
            description = {"Write the signed digest of every closed segment that has none.",
                    "Segments closed by instances that may not sign (cloudwarden.audit.seal=false) get theirs here."
                            + " Run as the audit writer, with cloudwarden.audit.key set. Idempotent."})
    static final class Seal implements Callable<Integer> {
        @Mixin
        Cli.Common common = new Cli.Common();

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Trail trail = Trail.open(common);
            if (!trail.chain().exists()) {
                spec.commandLine().getErr().println(trail.noTrail().replace("nothing was verified", "nothing to seal"));
                spec.commandLine().getErr().flush();
                return ExitCodes.INPUT;
            }
            int written = trail.chain().seal();
            spec.commandLine().getOut().println("wrote " + written + " segment digests in " + trail.store().describe());
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = {"Create a local Ed25519 signing key for audit digests.",
                    "Writes FILE (private, PKCS#8 PEM, owner-only) and FILE.pub (public). Set"
                            + " cloudwarden.audit.key=FILE on the writer; give FILE.pub to audit verify --key. Keep"
                            + " FILE out of the state directory."})
    static final class Keygen implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "Where to write the private key (must not exist).")
        Path file;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (Files.exists(file)) {
                spec.commandLine().getErr().println(file + ": already exists; not overwritten");
                spec.commandLine().getErr().flush();
                return ExitCodes.INPUT;
            }
            Ed25519KeyFile k = Ed25519KeyFile.generate(file);
            spec.commandLine().getOut().println("wrote " + file + " and " + file + ".pub (key id " + k.keyId() + ")");
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
