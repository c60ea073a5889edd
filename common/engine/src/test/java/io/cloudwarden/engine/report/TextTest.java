package io.cloudwarden.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void wrapBreaksAtSpacesAndSplitsOnlyWordsLongerThanTheWidth() {
        assertThat(Text.wrap("SSH (22) must not be open to the internet", 12))
                .containsExactly("SSH (22)", "must not be", "open to the", "internet");
        assertThat(Text.wrap("abcdefghij xy", 4)).containsExactly("abcd", "efgh", "ij", "xy");
        assertThat(Text.wrap("short", 0)).containsExactly("short");
        assertThat(Text.wrap("", 10)).containsExactly("");
    }

    @Test
    void aTableKeepsIdsWholeAndWrapsTheElasticColumn() {
        Text.Table t = new Text.Table(List.of("ID", "MESSAGE"), new int[] {0, 0}, 1);
        t.add(s -> s, "arn:aws:s3:::a-bucket-with-a-long-name", "one two three four five six seven eight nine ten");
        // 80 columns: the id takes its 38, two spaces, and the message wraps at the 40 left
        assertThat(t.render(80)).isEqualTo(String.join("\n",
                "ID                                      MESSAGE",
                "--------------------------------------  ----------------------------------------",
                "arn:aws:s3:::a-bucket-with-a-long-name  one two three four five six seven eight",
                "                                        nine ten", ""));
        // unlimited: one line per row
        assertThat(t.render(0).lines().skip(2)).singleElement().asString().endsWith("eight nine ten");
    }
}
