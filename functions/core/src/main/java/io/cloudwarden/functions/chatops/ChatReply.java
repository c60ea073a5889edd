package io.cloudwarden.functions.chatops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A platform-neutral chat answer: a one-line {@code text} (the notification fallback) and blocks, rendered as Slack
 * Block Kit by {@link SlackRenderer} and as a Teams message or Adaptive Card by {@link TeamsRenderer}. Text uses
 * only {@code `code`} markup, which both platforms show.
 */
public record ChatReply(String text, List<Block> blocks, boolean inChannel) {

    /** One part of a reply. */
    public sealed interface Block permits Section, Fields, Decision, Note {
    }

    /** A titled list of lines. */
    public record Section(String title, List<String> lines) implements Block {
        public Section {
            title = title == null ? "" : title;
            lines = List.copyOf(lines);
        }
    }

    /** Label / value pairs (Slack section fields, a Teams FactSet). */
    public record Fields(List<Field> fields) implements Block {
        public Fields {
            fields = List.copyOf(fields);
        }
    }

    public record Field(String label, String value) {
    }

    /** Approve / Deny controls for a plan awaiting approval (buttons on Slack; typed commands on Teams). */
    public record Decision(String planId, String summary) implements Block {
    }

    /** Small print under a reply. */
    public record Note(String text) implements Block {
    }

    public ChatReply {
        text = text == null ? "" : text;
        blocks = List.copyOf(blocks);
    }

    public static ChatReply text(String text) {
        return new ChatReply(text, List.of(), false);
    }

    public static Builder builder(String text) {
        return new Builder(text);
    }

    public Optional<String> planIdToDecide() {
        return blocks.stream().filter(b -> b instanceof Decision).map(b -> ((Decision) b).planId()).findFirst();
    }

    /** All the text of the reply, for tests and plain-text renderings. */
    public String plainText() {
        StringBuilder sb = new StringBuilder(text);
        for (Block b : blocks) {
            if (b instanceof Section s) {
                if (!s.title().isEmpty()) {
                    sb.append('\n').append(s.title());
                }
                s.lines().forEach(l -> sb.append('\n').append(l));
            } else if (b instanceof Fields f) {
                f.fields().forEach(x -> sb.append('\n').append(x.label()).append(": ").append(x.value()));
            } else if (b instanceof Decision d) {
                sb.append("\nTo decide: `approve ").append(d.planId()).append("` or `deny ").append(d.planId())
                        .append('`');
            } else if (b instanceof Note n) {
                sb.append('\n').append(n.text());
            }
        }
        return sb.toString();
    }

    public static final class Builder {
        private final String text;
        private final List<Block> blocks = new ArrayList<>();
        private boolean inChannel;

        private Builder(String text) {
            this.text = text;
        }

        public Builder section(String title, List<String> lines) {
            blocks.add(new Section(title, lines));
            return this;
        }

        public Builder fields(List<Field> fields) {
            blocks.add(new Fields(fields));
            return this;
        }

        public Builder decision(String planId, String summary) {
            blocks.add(new Decision(planId, summary));
            return this;
        }

        public Builder note(String note) {
            blocks.add(new Note(note));
            return this;
        }

        public Builder inChannel() {
            this.inChannel = true;
            return this;
        }

        public ChatReply build() {
            return new ChatReply(text, blocks, inChannel);
        }
    }
}
