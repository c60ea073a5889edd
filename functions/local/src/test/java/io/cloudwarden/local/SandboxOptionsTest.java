package io.cloudwarden.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad combinations around the sandbox are input errors (exit 2) naming the option and what was expected. */
class SandboxOptionsTest {
    @TempDir
    Path state;

    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theSandboxNeedsALocalStateDirectory() {
        Run run = cli("sandbox", "--state-dir", "s3://my-bucket/cloudwarden");

        assertThat(run.code()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.err()).contains("--sandbox: the state location must be a local directory")
                .contains("s3://my-bucket/cloudwarden");
    }

    @Test
    void anEndpointOverrideCannotBeCombinedWithTheSandbox() {
        Run run = cli("scan", "--sandbox", "--endpoint-url", "http://127.0.0.1:4566", "--state-dir", state.toString());

        assertThat(run.code()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.err()).contains("--endpoint-url cannot be combined with --sandbox");
    }

    @Test
    void driftNeedsABaselineUnlessItIsTheSandbox() {
        Run run = cli("drift", "--state-dir", state.toString());

        assertThat(run.code()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.err()).contains("--baseline: required");
    }

    @Test
    void theSandboxReportIsTableMarkdownJsonOrHtml() {
        Run run = cli("sandbox", "--format", "sarif", "--state-dir", state.toString());

        assertThat(run.code()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.err()).contains("--format: expected table, markdown, json or html but was 'sarif'");
    }

    @Test
    void checkOnAnEmptySandboxSaysHowToFillIt() {
        Run run = cli("check", "--sandbox", "--state-dir", state.toString());

        assertThat(run.code()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.err()).contains("no sandbox snapshot").contains("cloudwarden sandbox");
    }
}
