package io.cloudwarden.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cloudwarden.engine.RegistryException;
import io.cloudwarden.engine.drift.BaselineException;
import io.cloudwarden.engine.drift.IgnoreFileException;
import io.cloudwarden.engine.policy.PolicyValidationException;
import io.cloudwarden.engine.remediation.ApprovalRefusedException;
import io.cloudwarden.engine.remediation.GuardrailTrippedException;
import io.cloudwarden.engine.spi.EventParseException;
import io.cloudwarden.engine.spi.ProviderException;
import io.cloudwarden.engine.spi.StateStoreException;
import io.cloudwarden.functions.ConfigException;
import io.cloudwarden.model.schema.ModelValidationException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code cloudwarden} command tree and its error handling. */
/**
 * Help text convention: a command's {@code description} is one element per paragraph, never a hard-wrapped line
 * (picocli wraps each element to the terminal width; {@code usageHelpAutoWidth}); its first element is a one-line
 * summary ending in a full stop, which is what the top-level command list shows.
 */
@Command(name = "cloudwarden", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        usageHelpAutoWidth = true,
        description = "Keeps a multi-cloud estate consistent: scan, check policies, find drift, remediate.",
        // the subcommands are added by commandLine(...) from SUBCOMMANDS, all of them or only the one invoked
        footer = {"", "Options --state-dir, --config, --verbose, --quiet, --no-color and --log-format may come before or"
                + " after the command.", "Exit codes: 0 clean, 1 findings/drift (when asked to fail on them), 2 usage or input"
                + " error, 3 partial (some scopes unread), 4 internal error."})
public final class Cli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The global options given before the command; {@link #propagateCommonOptions} hands them down. */
    @CommandLine.Mixin
    Common common = new Common();

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see --help)");
    }

    /** The subcommands, in the order the usage lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(ScanCommand.class, CheckCommand.class, DriftCommand.class,
            DiffCommand.class, EventCommand.class, RemediateCommand.class, ServeCommand.class, AuditCommand.class,
            PermissionsCommand.class, TriggersCommand.class, SandboxCommand.class, StatusCommand.class,
            HistoryCommand.class, CompactCommand.class, CodifyCommand.class, RulesCommand.class,
            CompletionCommand.class, CommandLine.HelpCommand.class);

    /** Subcommands that read the whole command tree: invoking them builds all of it. */
    private static final Set<Class<?>> NEED_THE_TREE = Set.of(CompletionCommand.class,
            CommandLine.HelpCommand.class);

    /** Global options that take a value (see {@link Common}); the other global options are flags. */
    private static final Set<String> GLOBAL_WITH_VALUE = Set.of("--state-dir", "--config", "--log-format");
    private static final Set<String> GLOBAL_FLAGS = Set.of("-v", "--verbose", "-q", "--quiet", "--no-color");

    /** The whole command tree (every subcommand built and introspected): usage, completion, tests. */
    public static CommandLine commandLine() {
        return build(SUBCOMMANDS);
    }

    /**
     * The command tree for running {@code args}: when they name a subcommand (after any global options), only that
     * subcommand is built, since picocli instantiates and introspects every command class it is given (about a
     * tenth of a short {@code check}); the usage, messages and exit codes are those of the whole tree. Anything
     * else (top-level {@code --help}/{@code --version}, {@code help}, {@code completion}, an unknown word or
     * option before the command) gets the whole tree.
     */
    public static CommandLine commandLine(String... args) {
        Class<?> invoked = invoked(args);
        return build(invoked == null ? SUBCOMMANDS : List.of(invoked));
    }

    /** The subcommand {@code args} invoke, when it can be told from global options alone and needs no tree. */
    static Class<?> invoked(String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (GLOBAL_FLAGS.contains(a)) {
                continue;
            }
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0 && GLOBAL_WITH_VALUE.contains(a.substring(0, eq))) {
                continue;
            }
            if (GLOBAL_WITH_VALUE.contains(a)) {
                i++; // its value
                continue;
            }
            if (a.startsWith("-")) {
                return null; // --help, --version, --, or an option picocli words the error for
            }
            for (Class<?> c : SUBCOMMANDS) {
                Command command = c.getAnnotation(Command.class);
                if (command.name().equals(a) || Arrays.asList(command.aliases()).contains(a)) {
                    return NEED_THE_TREE.contains(c) ? null : c;
                }
            }
            return null;
        }
        return null;
    }

    private static CommandLine build(List<Class<?>> subcommands) {
        CommandLine cl = new CommandLine(new Cli());
        for (Class<?> c : subcommands) {
            cl.addSubcommand(c);
        }
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        cl.setExecutionStrategy(parse -> {
            propagateCommonOptions(parse);
            try {
                CliLogging.install(CliLogging.resolve(logFormat(parse), System.getenv()), cl.getErr());
            } catch (InputException e) {
                throw new CommandLine.ParameterException(parse.commandSpec().commandLine(), e.getMessage());
            }
            return new CommandLine.RunLast().execute(parse);
        });
        cl.setExecutionExceptionHandler(Cli::onException);
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("cloudwarden: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.INPUT;
        });
        return cl;
    }

    /**
     * Global options: every command mixes in {@link Common} as {@code common}, and so does the top-level command, so
     * {@code cloudwarden --state-dir X check} and {@code cloudwarden check --state-dir X} mean the same. Values given
     * before a command are handed down to the commands below it that did not set them (the nearer one wins).
     * Picocli's {@code ScopeType.INHERIT} would do the parsing, but binds every copy to the top-level field, which
     * each command's own {@code common} would then not see.
     */
    static void propagateCommonOptions(CommandLine.ParseResult parse) {
        Common inherited = null;
        for (CommandLine.ParseResult p = parse; p != null; p = p.subcommand()) {
            CommandLine.Model.CommandSpec mixin = p.commandSpec().mixins().get("common");
            Common own = mixin == null ? null : (Common) mixin.userObject();
            if (own != null && inherited != null) {
                own.inheritFrom(inherited);
            }
            if (own != null) {
                inherited = own;
            }
        }
    }

    /** The {@code --log-format} of the innermost command that has one (after {@link #propagateCommonOptions}). */
    static String logFormat(CommandLine.ParseResult parse) {
        String format = null;
        for (CommandLine.ParseResult p = parse; p != null; p = p.subcommand()) {
            CommandLine.Model.CommandSpec mixin = p.commandSpec().mixins().get("common");
            if (mixin != null && ((Common) mixin.userObject()).logFormat != null) {
                format = ((Common) mixin.userObject()).logFormat;
            }
        }
        return format;
    }

    /** Known input errors: one line, exit 2. Anything else: exit 4, stack trace only with --verbose. */
    static int onException(Exception ex, CommandLine cl, CommandLine.ParseResult parse) {
        PrintWriter err = cl.getErr();
        boolean verbose = parse != null && isVerbose(parse);
        Throwable e = ex;
        while ((e instanceof java.io.UncheckedIOException || e instanceof java.util.concurrent.CompletionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        int code;
        String line;
        if (e instanceof NoSuchFileException nf) {
            code = ExitCodes.INPUT;
            line = nf.getFile() + ": no such file";
        } else if (e instanceof AccessDeniedException ad) {
            code = ExitCodes.INPUT;
            line = ad.getFile() + ": permission denied";
        } else if (e instanceof InputException || e instanceof PolicyValidationException
                || e instanceof ModelValidationException || e instanceof BaselineException
                || e instanceof IgnoreFileException || e instanceof ConfigException
                || e instanceof EventParseException || e instanceof RegistryException
                || e instanceof ApprovalRefusedException || e instanceof JsonProcessingException
                || e instanceof IllegalArgumentException
                || e instanceof io.cloudwarden.local.sandbox.SandboxException) {
            code = ExitCodes.INPUT;
            line = e.getMessage();
        } else if (e instanceof GuardrailTrippedException) {
            code = ExitCodes.FINDINGS;
            line = "guardrail tripped: " + e.getMessage();
        } else if (e instanceof ProviderException pe) {
            code = ExitCodes.PARTIAL;
            line = pe.cloud() + " " + pe.operation() + " failed" + (pe.nativeCode().isEmpty() ? "" : " ("
                    + pe.nativeCode() + ")") + ": " + pe.getMessage();
        } else if (e instanceof StateStoreException) {
            code = ExitCodes.INPUT;
            line = "state: " + e.getMessage();
        } else {
            code = ExitCodes.INTERNAL;
            line = "internal error: " + e + " (rerun with --verbose for details)";
        }
        err.println("cloudwarden: " + line);
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private static boolean isVerbose(CommandLine.ParseResult parse) {
        CommandLine.ParseResult p = parse;
        while (p != null) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
            p = p.subcommand();
        }
        return false;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"cloudwarden " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }

    /** Options every command shares; they may also be given before the command (see {@link #propagateCommonOptions}). */
    static final class Common {
        @Option(names = "--state-dir", paramLabel = "DIR",
                description = "State directory or URI (default: $CLOUDWARDEN_STATE_DIR, else ~/.cloudwarden).")
        String stateDir;

        @Option(names = "--config", paramLabel = "FILE",
                description = "A properties file of cloudwarden.* settings (see README).")
        java.nio.file.Path config;

        @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
        boolean verbose;

        @Option(names = {"-q", "--quiet"},
                description = "No progress line and no warnings on stderr (errors are still printed).")
        boolean quiet;

        @Option(names = "--no-color", description = "No colour in tables (also when NO_COLOR is set in the environment).")
        boolean noColor;

        @Option(names = "--log-format", paramLabel = "FORMAT",
                description = "Log lines on stderr: text or json (one JSON object per line: time, severity, logger,"
                        + " message and structured fields). Default: $CLOUDWARDEN_LOG_FORMAT, else text.")
        String logFormat;

        void inheritFrom(Common parent) {
            logFormat = logFormat != null ? logFormat : parent.logFormat;
            stateDir = stateDir != null ? stateDir : parent.stateDir;
            config = config != null ? config : parent.config;
            verbose |= parent.verbose;
            quiet |= parent.quiet;
            noColor |= parent.noColor;
        }
    }
}
