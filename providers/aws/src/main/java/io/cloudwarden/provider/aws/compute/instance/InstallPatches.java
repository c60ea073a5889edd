package io.cloudwarden.provider.aws.compute.instance;

import io.cloudwarden.engine.spi.PlannedChange;
import io.cloudwarden.engine.spi.ProviderSession;
import io.cloudwarden.engine.spi.Remediator;
import io.cloudwarden.engine.spi.patch.PatchInstalls;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.model.Resource;
import io.cloudwarden.model.ResourceTypes;
import io.cloudwarden.provider.aws.network.firewall.SecurityGroupCollector;
import io.cloudwarden.provider.aws.remediation.Remediators;
import io.cloudwarden.provider.aws.session.AwsCalls;
import io.cloudwarden.provider.aws.session.AwsSession;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandFilter;
import software.amazon.awssdk.services.ssm.model.CommandFilterKey;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.CommandStatus;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;

/**
 * {@code compute.instance/install-patches} on AWS: Systems Manager Run Command of the {@value #DOCUMENT} document with
 * {@code Operation=Install} and {@code RebootOption=RebootIfNeeded} on the one instance ({@code SendCommand}), followed
 * with {@code GetCommandInvocation} until the invocation ends. Plan and verification are the cloud-neutral ones of
 * {@link PatchInstalls}; verification re-reads {@code DescribeInstancePatchStates} (the instance re-read goes through
 * {@link PatchStates}, and an {@code Install} run reports its own compliance when it ends), and AWS's health signal
 * is the SSM agent's {@code PingStatus} being {@code Online} after the reboot.
 *
 * <p>Idempotent: the command carries the comment {@link PatchInstalls#runLabel} (the plan id); before sending, {@code
 * ListCommands} for this instance and document since the plan was created looks for it, and a command of this plan
 * that is pending, in progress or succeeded is followed instead of sending another. A failed, cancelled or timed-out
 * one is not: applying again sends a new command. A command that ends in any status but {@code Success} fails the
 * apply with its status details (the rollout halts).
 */
public final class InstallPatches implements Remediator {
    static final String DOCUMENT = "AWS-RunPatchBaseline";
    private static final Set<CommandStatus> FOLLOW = Set.of(CommandStatus.PENDING, CommandStatus.IN_PROGRESS,
            CommandStatus.SUCCESS);
    private static final Set<CommandInvocationStatus> RUNNING = Set.of(CommandInvocationStatus.PENDING,
            CommandInvocationStatus.IN_PROGRESS, CommandInvocationStatus.DELAYED);

    @Override public String actionId() { return PatchInstalls.ACTION; }
    @Override public String appliesTo() { return ResourceTypes.COMPUTE_INSTANCE; }
    @Override public RemediationPlan.Risk risk() { return RemediationPlan.Risk.HIGH; }
    @Override public String description() { return PatchInstalls.DESCRIPTION; }

    /** Run Command of the AWS-owned document, following it, and finding this plan's earlier run. */
    @Override
    public List<String> permissions() {
        return List.of("ssm:SendCommand", "ssm:ListCommands", "ssm:GetCommandInvocation");
    }

    @Override
    public Optional<PlannedChange> plan(Resource current) {
        return PatchInstalls.plan(current, Remediators.obj().put("instanceId",
                SecurityGroupCollector.resourceId(current.id())).put("document", DOCUMENT)
                .put("operation", "Install").put("rebootOption", "RebootIfNeeded"));
    }

    @Override
    public void apply(ProviderSession session, RemediationPlan plan) {
        AwsSession aws = (AwsSession) session;
        SsmClient ssm = aws.ssm(plan.resource().account(), plan.resource().region());
        String instance = SecurityGroupCollector.resourceId(plan.resource().id());
        String label = PatchInstalls.runLabel(plan);
        String commandId = earlierRun(ssm, instance, label, plan).orElseGet(() -> AwsCalls.call("ssm:SendCommand",
                () -> ssm.sendCommand(r -> r.instanceIds(instance).documentName(DOCUMENT).comment(label)
                        .parameters(Map.of("Operation", List.of("Install"), "RebootOption",
                                List.of("RebootIfNeeded")))).command().commandId()));
        GetCommandInvocationResponse done = PatchInstalls.Wait.of(session.config()).until(
                DOCUMENT + " command " + commandId + " on " + instance, () -> invocation(ssm, commandId, instance)
                        .filter(i -> !RUNNING.contains(i.status())));
        if (done.status() != CommandInvocationStatus.SUCCESS) {
            throw new PatchInstalls.InstallFailedException(DOCUMENT + " command " + commandId + " on " + instance
                    + " ended " + done.statusAsString() + " (" + done.statusDetails() + ", exit code "
                    + done.responseCode() + ")" + tail(done.standardErrorContent()));
        }
    }

    /** This plan's command on the instance that is still running or succeeded, newest first. */
    private static Optional<String> earlierRun(SsmClient ssm, String instance, String label, RemediationPlan plan) {
        List<Command> commands = AwsCalls.call("ssm:ListCommands", () -> ssm.listCommandsPaginator(r -> r
                .instanceId(instance).filters(
                        CommandFilter.builder().key(CommandFilterKey.DOCUMENT_NAME).value(DOCUMENT).build(),
                        CommandFilter.builder().key(CommandFilterKey.INVOKED_AFTER)
                                .value(plan.createdAt().toString()).build()))
                .commands().stream().toList());
        return commands.stream().filter(c -> label.equals(c.comment()) && FOLLOW.contains(c.status()))
                .max(Comparator.comparing(Command::requestedDateTime, Comparator.nullsFirst(Comparator.naturalOrder()))).map(Command::commandId);
    }

    /**
     * The invocation, or empty while SSM has not created it yet ({@code InvocationDoesNotExist} right after
     * SendCommand: the API reference's documented race).
     */
    private static Optional<GetCommandInvocationResponse> invocation(SsmClient ssm, String commandId,
            String instance) {
        return AwsCalls.callOptional("ssm:GetCommandInvocation", Set.of("InvocationDoesNotExist"),
                () -> ssm.getCommandInvocation(r -> r.commandId(commandId).instanceId(instance)));
    }

    private static String tail(String stderr) {
        if (stderr == null || stderr.isBlank()) {
            return "";
        }
        String s = stderr.strip();
        return ": " + (s.length() > 400 ? "…" + s.substring(s.length() - 400) : s);
    }

    /** {@link PatchInstalls#failures} is empty and the SSM agent is {@code Online} again. */
    @Override
    public boolean verify(Resource reread, RemediationPlan plan) {
        return PatchInstalls.failures(reread, plan).isEmpty() && "Online".equals(reread.raw()
                .path(PatchStates.KEY).path("InstanceInformation").path("PingStatus").asText());
    }
}
