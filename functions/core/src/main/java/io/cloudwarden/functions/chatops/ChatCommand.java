package io.cloudwarden.functions.chatops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One parsed chat command: the text after {@code /cloudwarden} or after the Teams mention, split on whitespace.
 * {@code --name value} pairs become options; everything else is a positional argument. An unrecognised verb parses
 * to {@link Verb#UNKNOWN} (answered with help, never an error).
 */
public record ChatCommand(Verb verb, String word, List<String> args, Map<String, String> options) {

    /** The commands, each with the minimal role that may run it and whether Slack runs it in the background. */
    public enum Verb {
        HELP(Role.VIEWER, false, "help", "this help"),
        STATUS(Role.VIEWER, false, "status", "latest snapshot time, counts and pending plans"),
        FINDINGS(Role.VIEWER, false, "findings [--severity S] [--cloud C]",
                "findings of the last scan, at least severity S, of cloud C"),
        EXPLAIN(Role.VIEWER, false, "explain <finding-id>", "what a finding means and how to fix it"),
        DRIFT(Role.VIEWER, true, "drift [cloud]", "what changed between the previous and the latest snapshot"),
        CODIFY(Role.VIEWER, false, "codify <resource-id>",
                "the Terraform import block that brings a resource under Terraform"),
        SCAN(Role.OPERATOR, true, "scan [cloud…]", "scan now (all configured clouds by default)"),
        REMEDIATE(Role.OPERATOR, false, "remediate <finding-id>", "plan a fix for a finding; it waits for approval"),
        APPROVE(Role.APPROVER, true, "approve <plan-id|rollout-id>",
                "approve a plan and apply it, or every plan of a rollout, applied in verified waves"),
        DENY(Role.APPROVER, false, "deny <plan-id>", "deny a plan"),
        UNKNOWN(Role.VIEWER, false, "", "");

        private final Role role;
        private final boolean background;
        private final String usage;
        private final String description;

        Verb(Role role, boolean background, String usage, String description) {
            this.role = role;
            this.background = background;
            this.usage = usage;
            this.description = description;
        }

        public Role role() {
            return role;
        }

        /** True for work that may exceed Slack's 3-second deadline: acknowledged at once, result posted later. */
        public boolean background() {
            return background;
        }

        public String usage() {
            return usage;
        }

        public String description() {
            return description;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ChatCommand {
        args = List.copyOf(args);
        options = Map.copyOf(options);
    }

    /** Parses command text; blank text is {@code help}. */
    public static ChatCommand parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return new ChatCommand(Verb.HELP, "help", List.of(), Map.of());
        }
        List<String> words = Arrays.stream(t.split("\\s+")).toList();
        String word = words.get(0).toLowerCase(Locale.ROOT);
        Verb verb = Arrays.stream(Verb.values()).filter(v -> v != Verb.UNKNOWN && v.id().equals(word)).findFirst()
                .orElse(Verb.UNKNOWN);
        List<String> args = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            if (w.startsWith("--") && w.length() > 2) {
                String name = w.substring(2).toLowerCase(Locale.ROOT);
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    options.put(name.substring(0, eq), name.substring(eq + 1));
                } else if (i + 1 < words.size() && !words.get(i + 1).startsWith("--")) {
                    options.put(name, words.get(++i));
                } else {
                    options.put(name, "");
                }
            } else {
                args.add(w);
            }
        }
        return new ChatCommand(verb, word, args, options);
    }

    public Optional<String> arg(int index) {
        return index < args.size() ? Optional.of(args.get(index)) : Optional.empty();
    }

    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** The command as typed, normalised (for the audit trail). */
    public String text() {
        StringBuilder sb = new StringBuilder(word);
        args.forEach(a -> sb.append(' ').append(a));
        options.forEach((k, v) -> sb.append(" --").append(k).append(v.isEmpty() ? "" : " " + v));
        return sb.toString();
    }
}
