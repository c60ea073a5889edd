package io.cloudwarden.functions.chatops;

import static io.cloudwarden.functions.chatops.ChatOpsHarness.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudwarden.engine.remediation.PlanRecord;
import io.cloudwarden.functions.http.HttpResponse;
import io.cloudwarden.model.AuditRecord;
import io.cloudwarden.model.RemediationPlan;
import io.cloudwarden.testkit.InMemoryStateStore;
import io.cloudwarden.testkit.Resources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SlackChatOpsTest {

    @Nested
    class Authentication {
        private final ChatOpsHarness h = new ChatOpsHarness().scanned();

        @Test
        void unsignedRequestIsRefusedWithoutTouchingState() {
            Map<String, String> before = h.stateFingerprint();
            HttpResponse r = h.send(slackRequest(slashBody(VIEWER, "viewer", "findings", RESPONSE_URL), Map.of()));

            assertThat(r.status()).isEqualTo(401);
            assertThat(r.bodyText()).contains("X-Slack-Request-Timestamp: missing");
            assertThat(h.stateFingerprint()).isEqualTo(before);
        }

        @Test
        void tamperedBodyIsRefused() {
            byte[] body = slashBody(VIEWER, "viewer", "findings", RESPONSE_URL);
            var signed = h.signedSlack(body);
            byte[] tampered = slashBody(ADMIN, "viewer", "findings", RESPONSE_URL);
            Map<String, String> before = h.stateFingerprint();

            HttpResponse r = h.send(slackRequest(tampered, Map.of(
                    "X-Slack-Request-Timestamp", signed.header("x-slack-request-timestamp").orElseThrow(),
                    "X-Slack-Signature", signed.header("x-slack-signature").orElseThrow())));

            assertThat(r.status()).isEqualTo(401);
            assertThat(r.bodyText()).contains("does not match");
            assertThat(h.stateFingerprint()).isEqualTo(before);
        }

        @Test
        void signatureWithAnotherSecretIsRefused() {
            byte[] body = slashBody(VIEWER, "viewer", "findings", RESPONSE_URL);
            String ts = h.timestamp();
            HttpResponse r = h.send(slackRequest(body, Map.of("X-Slack-Request-Timestamp", ts,
                    "X-Slack-Signature", new SlackSignature("not-the-secret").sign(ts, body))));
            assertThat(r.status()).isEqualTo(401);
        }

        @Test
        void staleTimestampIsRefusedEvenWhenCorrectlySigned() {
            byte[] body = slashBody(VIEWER, "viewer", "findings", RESPONSE_URL);
            String old = String.valueOf(h.clock.instant().minus(Duration.ofMinutes(6)).getEpochSecond());
            HttpResponse r = h.send(slackRequest(body, Map.of("X-Slack-Request-Timestamp", old,
                    "X-Slack-Signature", new SlackSignature(SIGNING_SECRET).sign(old, body))));

            assertThat(r.status()).isEqualTo(401);
            assertThat(r.bodyText()).contains("more than 5 minutes");
        }

        @Test
        void replayedSignatureIsRefusedTheSecondTime() {
            var req = h.signedSlack(slashBody(VIEWER, "viewer", "status", RESPONSE_URL));
            assertThat(h.send(req).status()).isEqualTo(200);

            h.clock.advance(Duration.ofSeconds(30));
            HttpResponse again = h.send(req);

            assertThat(again.status()).isEqualTo(401);
            assertThat(again.bodyText()).contains("replayed");
        }

        @Test
        void replayIsCaughtAcrossFunctionInstancesSharingTheStore() {
            var req = h.signedSlack(slashBody(VIEWER, "viewer", "status", RESPONSE_URL));
            assertThat(h.send(req).status()).isEqualTo(200);

            // A second instance: same store, its own handlers.
            var other = ChatOpsRoutes.create(h.cw, h.functions.detector(), h.functions.remediation(),
                    (u, m) -> { }, Runnable::run);
            assertThat(other.slack().handle(req).status()).isEqualTo(401);
        }

        @Test
        void oversizedBodyIsRefusedBeforeAnythingElse() {
            byte[] big = new byte[SlackHandler.MAX_BODY + 1];
            Arrays.fill(big, (byte) 'a');
            HttpResponse r = h.send(slackRequest(big, Map.of()));
            assertThat(r.status()).isEqualTo(413);
        }

        @Test
        void routeWithoutSigningSecretAnswers503AndNeverAcceptsUnsignedRequests() {
            ChatOpsHarness unconfigured = new ChatOpsHarness(Map.of("cloudwarden.slack.signing.secret", ""));
            HttpResponse r = unconfigured.send(slackRequest(slashBody(ADMIN, "admin", "scan", RESPONSE_URL),
                    Map.of()));
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.bodyText()).contains("not configured").contains("cloudwarden.slack.signing.secret");
        }

        @Test
        void productionWiringRegistersTheRoutes() {
            // Functions.inProcess wires the routes itself; here the secret is configured, so unsigned is 401.
            var f = io.cloudwarden.functions.Functions.inProcess(h.cw);
            assertThat(f.gateway().handle(slackRequest(new byte[0], Map.of())).status()).isEqualTo(401);
            assertThat(f.gateway().handle(teamsRequest(new byte[0], Map.of())).status()).isEqualTo(401);
        }

        @Test
        void slackCertificateCheckIsAcknowledgedWithoutRunningAnything() {
            Map<String, String> before = h.stateFingerprint();
            HttpResponse r = h.send(h.signedSlack("ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO"
                    .getBytes(StandardCharsets.UTF_8)));
            assertThat(r.status()).isEqualTo(200);
            Map<String, String> after = new java.util.TreeMap<>(h.stateFingerprint());
            after.keySet().removeIf(k -> k.startsWith("idempotency/"));
            assertThat(after).isEqualTo(before);
        }

        @Test
        void malformedFormWithAValidSignatureIs400() {
            HttpResponse r = h.send(h.signedSlack("team_id=T0001&user_id=%ZZ&text=findings"
                    .getBytes(StandardCharsets.UTF_8)));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).contains("URL encoding");
        }

        @Test
        void missingUserIdIs400NamingTheFieldAndTheSignedRequestIsAudited() {
            HttpResponse r = h.send(h.signedSlack("team_id=T0001&text=findings".getBytes(StandardCharsets.UTF_8)));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).contains("user_id: missing");
            assertThat(h.audit("chatops.request")).singleElement().satisfies(a -> {
                assertThat(a.outcome()).isEqualTo("invalid");
                assertThat(a.actor().via()).isEqualTo("slack");
                assertThat(a.details().path("problem").asText()).contains("user_id: missing");
            });
        }

        @Test
        void aStateStoreOutageIsA503NeverA500() {
            var failing = new io.cloudwarden.engine.spi.StateStore() {
                final InMemoryStateStore delegate = new InMemoryStateStore();

                @Override
                public java.util.Optional<io.cloudwarden.engine.spi.StoredObject> get(String key) {
                    return delegate.get(key);
                }

                @Override
                public String put(String key, byte[] data, io.cloudwarden.engine.spi.Precondition precondition) {
                    if (key.startsWith("idempotency/")) {
                        throw new io.cloudwarden.engine.spi.StateStoreException("bucket unreachable");
                    }
                    return delegate.put(key, data, precondition);
                }

                @Override
                public List<String> list(String prefix) {
                    return delegate.list(prefix);
                }

                @Override
                public String describe() {
                    return "failing:";
                }
            };
            ChatOpsHarness broken = new ChatOpsHarness(Map.of(), RemediationPlan.Risk.HIGH, failing);
            HttpResponse r = broken.slack(VIEWER, "status");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.bodyText()).contains("try again").doesNotContain("bucket unreachable");
        }

        @Test
        void secretsAndSignaturesNeverReachResponsesOrTheAuditTrail() {
            var req = h.signedSlack(slashBody(VIEWER, "viewer", "findings", RESPONSE_URL));
            HttpResponse r = h.send(req);
            String signature = req.header("x-slack-signature").orElseThrow();

            assertThat(r.bodyText()).doesNotContain(SIGNING_SECRET).doesNotContain(signature);
            assertThat(h.auditText()).doesNotContain(SIGNING_SECRET).doesNotContain(signature)
                    .doesNotContain(signature.substring(3)).doesNotContain("gIkuvaNzQIHg97ATvDxqgjtO");
            assertThat(h.cw.config().toString()).doesNotContain(SIGNING_SECRET).doesNotContain(TEAMS_SECRET);
        }
    }

    @Nested
    class Commands {
        private final ChatOpsHarness h = new ChatOpsHarness().scanned();

        @Test
        void findingsAnswersWithTheLastScanGroupedBySeverity() {
            HttpResponse r = h.slack(VIEWER, "findings");

            assertThat(r.status()).isEqualTo(200);
            JsonNode msg = json(r);
            assertThat(msg.path("response_type").asText()).isEqualTo("ephemeral");
            String text = slackText(msg);
            assertThat(text).contains("*HIGH (").contains(h.publicAccessFinding())
                    .contains("Object storage must not allow anonymous reads")
                    .contains("arn:aws:s3:::public-logs");
            List<String> sectionTitles = h.cw.repository().latestFindings().orElseThrow().findings().stream()
                    .map(f -> "*" + f.severity().name() + " (").distinct().toList();
            assertThat(sectionTitles).allSatisfy(t -> assertThat(text).contains(t));
            assertThat(h.audit("chatops.findings")).singleElement().satisfies(a -> {
                assertThat(a.actor().kind()).isEqualTo("chat");
                assertThat(a.actor().id()).isEqualTo(VIEWER);
                assertThat(a.actor().via()).isEqualTo("slack:T0001");
                assertThat(a.outcome()).isEqualTo("ok");
                assertThat(a.details().path("command").asText()).isEqualTo("findings");
            });
        }

        @Test
        void findingsFiltersBySeverityAndCloud() {
            String high = slackText(json(h.slack(VIEWER, "findings --severity high --cloud aws")));
            assertThat(high).contains("of severity high or worse in aws").doesNotContain("*LOW (");

            String gcp = slackText(json(h.slack(VIEWER, "findings --cloud gcp")));
            assertThat(gcp).contains("No findings in gcp");
        }

        @Test
        void badOptionIsAPoliteUsageReply() {
            HttpResponse r = h.slack(VIEWER, "findings --severity urgent");
            assertThat(r.status()).isEqualTo(200);
            assertThat(slackText(json(r))).contains("severity: expected one of critical, high")
                    .contains("Usage: `findings [--severity S] [--cloud C]`");
            assertThat(h.audit("chatops.findings")).singleElement()
                    .satisfies(a -> assertThat(a.outcome()).isEqualTo("invalid"));
        }

        @Test
        void findingsBeforeAnyScanSaysSo() {
            ChatOpsHarness fresh = new ChatOpsHarness();
            assertThat(slackText(json(fresh.slack(VIEWER, "findings")))).contains("No scan has run yet");
        }

        @Test
        void unknownCommandGetsHelpPolitely() {
            HttpResponse r = h.slack(VIEWER, "destroy everything");
            assertThat(r.status()).isEqualTo(200);
            assertThat(slackText(json(r))).contains("I do not know `destroy`").contains("`remediate &lt;finding-id&gt;`");
            assertThat(h.audit("chatops.unknown")).singleElement()
                    .satisfies(a -> assertThat(a.outcome()).isEqualTo("unknown-command"));
        }

        @Test
        void explainShowsRuleResourceAndRemediation() {
            String id = h.publicAccessFinding();
            String text = slackText(json(h.slack(VIEWER, "explain " + id)));
            assertThat(text).contains("storage-no-public-access").contains("CIS AWS 2.1.4")
                    .contains("storage.bucket/block-public-access (approve)").contains("remediate " + id);
        }

        @Test
        void explainOfAnUnknownFindingIsAPoliteNotFound() {
            HttpResponse r = h.slack(VIEWER, "explain f-0000000000000000");
            assertThat(r.status()).isEqualTo(200);
            assertThat(slackText(json(r))).contains("no finding `f-0000000000000000`");
            assertThat(h.audit("chatops.explain")).singleElement()
                    .satisfies(a -> assertThat(a.outcome()).isEqualTo("not-found"));
        }

        @Test
        void codifyAnswersWithTheImportBlockOfTheResource() {
            String text = slackText(json(h.slack(VIEWER, "codify " + h.publicBucket().id())));

            assertThat(text).contains("import {\n  to = aws_s3_bucket.public_logs\n  id = \"public-logs\"\n}")
                    .contains("terraform plan -generate-config-out=generated.tf");
            assertThat(h.audit("chatops.codify")).singleElement()
                    .satisfies(a -> assertThat(a.outcome()).isEqualTo("ok"));
        }

        @Test
        void codifyOfAnUnknownResourceIsAPoliteNotFound() {
            String text = slackText(json(h.slack(VIEWER, "codify arn:aws:s3:::nope")));

            assertThat(text).contains("no resource `arn:aws:s3:::nope`");
            assertThat(h.audit("chatops.codify")).singleElement()
                    .satisfies(a -> assertThat(a.outcome()).isEqualTo("not-found"));
        }

        @Test
        void statusShowsSnapshotCountsAndPendingPlans() {
            String text = slackText(json(h.slack(VIEWER, "status")));
            assertThat(text).contains("Latest snapshot").contains(START.toString()).contains("Resources*\n2")
                    .contains("Plans awaiting approval");
        }

        @Test
        void statusListsAFannedOutRunThatWasNeverMerged() {
            io.cloudwarden.engine.scan.ScanRuns runs = new io.cloudwarden.engine.scan.ScanRuns(h.cw.repository());
            runs.create(new io.cloudwarden.engine.scan.ScanRun(null, "r-0123456789abcdef01234567",
                    "schedule:nightly@1", null, START.minusSeconds(3600), START.minusSeconds(1800),
                    java.util.List.of(io.cloudwarden.model.Cloud.AWS), java.util.Set.of(), java.util.List.of(
                            new io.cloudwarden.engine.spi.Shard(io.cloudwarden.model.Cloud.AWS, "111122223333",
                                    "us-east-1", "storage.bucket")), java.util.List.of()));

            String text = slackText(json(h.slack(VIEWER, "status")));

            assertThat(text).contains("Scan runs not merged", "r-0123456789abcdef01234567", "overdue", "0/1");
        }

        @Test
        void strangersAreRefusedPolitelyAndTheRefusalIsAudited() {
            HttpResponse r = h.slack(STRANGER, "findings");
            assertThat(r.status()).isEqualTo(200);
            assertThat(slackText(json(r))).contains("needs the viewer role").contains("slack:T0001:" + STRANGER);
            assertThat(h.audit("chatops.findings")).singleElement()
                    .satisfies(a -> assertThat(a.outcome()).isEqualTo("refused:role"));
        }

        @Test
        void defaultRoleViewerLetsUnknownUsersRead() {
            ChatOpsHarness open = new ChatOpsHarness(Map.of("cloudwarden.chatops.default-role", "viewer")).scanned();
            assertThat(slackText(json(open.slack(STRANGER, "findings")))).contains(open.publicAccessFinding());
            assertThat(slackText(json(open.slack(STRANGER, "scan")))).contains("needs the operator role");
        }

        @Test
        void viewerCannotRequestRemediationAndNoPlanIsCreated() {
            int plans = h.cw.executor().plans().list().size();
            String text = slackText(json(h.slack(VIEWER, "remediate " + h.publicAccessFinding())));
            assertThat(text).contains("needs the operator role");
            assertThat(h.cw.executor().plans().list()).hasSize(plans);
        }

        @Test
        void scanIsAcknowledgedAtOnceAndItsResultPostedToTheResponseUrl() {
            h.provider.put(Resources.awsBucket("new-bucket", true));
            h.clock.advance(Duration.ofMinutes(10));

            HttpResponse r = h.slack(OPERATOR, "scan aws");

            assertThat(r.status()).isEqualTo(200);
            assertThat(slackText(json(r))).contains("Working on `scan`");
            assertThat(h.posted).singleElement().satisfies(p -> {
                assertThat(p.url().toString()).isEqualTo(RESPONSE_URL);
                assertThat(slackText(p.message())).contains("Scan of [aws] done: 3 resources");
            });
            assertThat(h.cw.repository().latestSnapshot().orElseThrow().resources()).hasSize(3);
            assertThat(h.audit("scan")).last().satisfies(a -> assertThat(a.actor().id()).isEqualTo(OPERATOR));
        }

        @Test
        void scanOfAnUnconfiguredCloudIsAPoliteUsageReply() {
            h.slack(OPERATOR, "scan gcp");
            assertThat(slackText(h.posted.get(0).message())).contains("cloud `gcp` is not configured here");
        }

        @Test
        void longCommandWithAResponseUrlOutsideTheAllowListIsRefusedAndNothingRuns() {
            var before = h.cw.repository().latestSnapshot().orElseThrow().takenAt();
            h.clock.advance(Duration.ofMinutes(1));
            HttpResponse r = h.send(h.signedSlack(slashBody(OPERATOR, "ops", "scan",
                    "https://attacker.example/collect")));

            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).contains("response_url").contains("https://hooks.slack.com/");
            assertThat(h.posted).isEmpty();
            assertThat(h.cw.repository().latestSnapshot().orElseThrow().takenAt()).isEqualTo(before);
        }

        @Test
        void driftShowsWhatChangedBetweenTheLastTwoScansAsBeforeAfter() {
            h.provider.put(Resources.awsBucket("private-data", true));
            h.provider.put(Resources.awsBucket("added-later", false));
            h.clock.advance(Duration.ofHours(1));
            h.scanned();

            HttpResponse r = h.slack(VIEWER, "drift aws");

            assertThat(slackText(json(r))).contains("Working on `drift`");
            String text = slackText(h.posted.get(0).message());
            assertThat(text).contains("2 changes between").contains("1 added, 0 removed, 1 changed")
                    .contains("*changed storage.bucket `arn:aws:s3:::private-data`*")
                    .contains("`/publicAccess`: false → true")
                    .contains("added storage.bucket `arn:aws:s3:::added-later`");
        }

        @Test
        void driftAfterAScanThatCouldNotReadTheBucketsNamesTheScopeAndRemovesNothing() {
            h.provider.failShard("111122223333", "us-east-1", "storage.bucket", new io.cloudwarden.engine.spi
                    .ProviderException(io.cloudwarden.model.Cloud.AWS, "s3:ListBuckets", "AccessDenied", false,
                    "denied"));
            h.clock.advance(Duration.ofHours(1));
            h.scanned();

            h.slack(VIEWER, "drift aws");

            String text = slackText(h.posted.get(0).message());
            assertThat(text).doesNotContain("removed storage.bucket").contains("No changes")
                    .contains("2 not compared").contains("aws 111122223333/us-east-1/storage.bucket")
                    .contains("AccessDenied");
        }

        @Test
        void driftWithOneScanExplainsItNeedsTwo() {
            h.slack(VIEWER, "drift");
            assertThat(slackText(h.posted.get(0).message())).contains("needs two scans");
        }

        @Test
        void estateTextIsEscapedSoItCannotMentionOrLink() {
            assertThat(SlackRenderer.escape("<!channel> & <https://x|y>"))
                    .isEqualTo("&lt;!channel&gt; &amp; &lt;https://x|y&gt;");
        }
    }

    @Nested
    class Approvals {
        private final ChatOpsHarness h = new ChatOpsHarness().scanned();

        private String requestPlan(String requester) {
            HttpResponse r = h.slack(requester, "remediate " + h.publicAccessFinding());
            assertThat(r.status()).isEqualTo(200);
            JsonNode msg = json(r);
            JsonNode actions = null;
            for (JsonNode b : msg.path("blocks")) {
                if (b.path("type").asText().equals("actions")) {
                    actions = b;
                }
            }
            assertThat(actions).as("approve/deny buttons in %s", msg).isNotNull();
            assertThat(actions.path("elements").get(0).path("action_id").asText()).isEqualTo("approve");
            assertThat(actions.path("elements").get(1).path("action_id").asText()).isEqualTo("deny");
            return actions.path("elements").get(0).path("value").asText();
        }

        @Test
        void remediateShowsThePlanBeforeAfterWithButtonsInChannel() {
            HttpResponse r = h.slack(OPERATOR, "remediate " + h.publicAccessFinding());
            JsonNode msg = json(r);
            assertThat(msg.path("response_type").asText()).isEqualTo("in_channel");
            assertThat(slackText(msg)).contains("awaits approval").contains("`publicAccess`: true → false")
                    .contains("*Risk*\nhigh").contains("Two-person rule");
            String planId = msg.path("blocks").findValues("value").get(0).asText();
            PlanRecord stored = h.cw.executor().plans().find(planId).orElseThrow();
            assertThat(stored.status()).isEqualTo("awaiting-approval");
            assertThat(stored.plan().requestedBy().id()).isEqualTo(OPERATOR);
            assertThat(stored.plan().requestedBy().via()).isEqualTo("slack:T0001");
        }

        @Test
        void remediateThenApproveByAnotherPersonAppliesTheFixWithAVerifiableAuditTrail() {
            String planId = requestPlan(OPERATOR);

            HttpResponse r = h.slack(APPROVER, "approve " + planId);

            assertThat(r.status()).isEqualTo(200);
            assertThat(slackText(json(r))).contains("Working on `approve`");
            assertThat(h.provider.get(h.publicBucket()).orElseThrow().attributes().path("publicAccess").asBoolean())
                    .isFalse();
            assertThat(h.provider.applyCount()).isEqualTo(1);
            assertThat(slackText(h.posted.get(0).message())).contains("Approved by " + APPROVER.toLowerCase()
                    + " and applied");
            assertThat(h.cw.executor().plans().find(planId).orElseThrow().status()).isEqualTo("applied-verified");

            assertThat(h.cw.audit().verify().intact()).isTrue();
            List<AuditRecord> trail = h.audit();
            assertThat(trail).filteredOn(a -> a.action().equals("chatops.remediate")).singleElement()
                    .satisfies(a -> {
                        assertThat(a.actor().id()).isEqualTo(OPERATOR);
                        assertThat(a.subject()).isEqualTo(planId);
                        assertThat(a.outcome()).isEqualTo("awaiting-approval");
                    });
            assertThat(trail).filteredOn(a -> a.action().equals("remediation.approve")).singleElement()
                    .satisfies(a -> assertThat(a.actor().id()).isEqualTo(APPROVER));
            assertThat(trail).filteredOn(a -> a.action().equals("remediation.verify")).singleElement()
                    .satisfies(a -> assertThat(a.outcome()).isEqualTo("applied-verified"));
            assertThat(trail).filteredOn(a -> a.action().equals("chatops.approve")).singleElement()
                    .satisfies(a -> {
                        assertThat(a.actor().via()).isEqualTo("slack:T0001");
                        assertThat(a.outcome()).isEqualTo("applied-verified");
                    });
        }

        @Test
        void theRequesterCannotApproveTheirOwnHighRiskPlan() {
            String planId = requestPlan(ADMIN);

            h.slack(ADMIN, "approve " + planId);

            assertThat(slackText(h.posted.get(0).message())).contains("needs a second person");
            assertThat(h.provider.applyCount()).isZero();
            assertThat(h.cw.executor().plans().find(planId).orElseThrow().status()).isEqualTo("awaiting-approval");
            assertThat(h.audit("chatops.approve")).singleElement()
                    .satisfies(a -> assertThat(a.outcome()).isEqualTo("refused:two-person-rule"));
        }

        @Test
        void aLowRiskPlanMayBeApprovedByItsRequester() {
            ChatOpsHarness low = new ChatOpsHarness(Map.of(), RemediationPlan.Risk.LOW).scanned();
            HttpResponse r = low.slack(ADMIN, "remediate " + low.publicAccessFinding());
            String planId = json(r).path("blocks").findValues("value").get(0).asText();
            low.slack(ADMIN, "approve " + planId);
            assertThat(low.provider.applyCount()).isEqualTo(1);
        }

        @Test
        void twoPersonActionsFromConfigurationApplyWhateverTheRisk() {
            ChatOpsHarness low = new ChatOpsHarness(Map.of("cloudwarden.guardrails.two-person-actions",
                    "storage.bucket/block-public-access"), RemediationPlan.Risk.LOW).scanned();
            HttpResponse r = low.slack(ADMIN, "remediate " + low.publicAccessFinding());
            String planId = json(r).path("blocks").findValues("value").get(0).asText();
            low.slack(ADMIN, "approve " + planId);
            assertThat(low.provider.applyCount()).isZero();
            assertThat(slackText(low.posted.get(0).message())).contains("needs a second person");
        }

        @Test
        void operatorWithoutApproverRoleCannotApprove() {
            String planId = requestPlan(ADMIN);
            String text = slackText(json(h.slack(OPERATOR, "approve " + planId)));
            assertThat(text).contains("needs the approver role");
            assertThat(h.provider.applyCount()).isZero();
        }

        @Test
        void expiredPlansAreRefused() {
            String planId = requestPlan(OPERATOR);
            h.clock.advance(Duration.ofHours(25));
            h.slack(APPROVER, "approve " + planId);
            assertThat(slackText(h.posted.get(0).message())).contains("has expired");
            assertThat(h.provider.applyCount()).isZero();
        }

        @Test
        void approvingAnUnknownPlanIsAPoliteNotFound() {
            h.slack(APPROVER, "approve p-doesnotexist0000");
            assertThat(slackText(h.posted.get(0).message())).contains("no plan `p-doesnotexist0000`");
            HttpResponse deny = h.slack(APPROVER, "deny ../../etc/passwd");
            assertThat(deny.status()).isEqualTo(200);
            assertThat(slackText(json(deny))).contains("no plan").contains("plan ids look like")
                    .doesNotContain("Exception");
        }

        @Test
        void denyClosesThePlanAndAFurtherApprovalIsRefused() {
            String planId = requestPlan(OPERATOR);
            String text = slackText(json(h.slack(APPROVER, "deny " + planId)));
            assertThat(text).contains("was denied by");
            assertThat(h.cw.executor().plans().find(planId).orElseThrow().status()).isEqualTo("denied");

            h.slack(APPROVER, "approve " + planId);
            assertThat(slackText(h.posted.get(0).message())).contains("no longer awaiting a decision");
            assertThat(h.provider.applyCount()).isZero();
        }

        @Test
        void approveButtonClickAppliesAndReplacesTheOriginalMessage() {
            String planId = requestPlan(OPERATOR);

            HttpResponse r = h.click(APPROVER, "approve", planId);

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEmpty();
            assertThat(h.provider.applyCount()).isEqualTo(1);
            assertThat(h.posted).singleElement().satisfies(p -> {
                assertThat(p.url().toString()).startsWith("https://hooks.slack.com/actions/");
                assertThat(p.message().path("replace_original").asBoolean()).isTrue();
                assertThat(slackText(p.message())).contains("applied");
            });
            assertThat(h.audit("chatops.approve")).singleElement()
                    .satisfies(a -> assertThat(a.actor().id()).isEqualTo(APPROVER));
        }

        @Test
        void denyButtonClickDenies() {
            String planId = requestPlan(OPERATOR);
            h.click(APPROVER, "deny", planId);
            assertThat(h.cw.executor().plans().find(planId).orElseThrow().status()).isEqualTo("denied");
            assertThat(h.posted.get(0).message().path("replace_original").asBoolean()).isTrue();
        }

        @Test
        void buttonClickByAViewerIsRefusedOnlyToThemAndKeepsTheButtons() {
            String planId = requestPlan(OPERATOR);
            h.click(VIEWER, "approve", planId);
            assertThat(h.provider.applyCount()).isZero();
            assertThat(h.posted).singleElement().satisfies(p -> {
                assertThat(p.message().path("replace_original").asBoolean()).isFalse();
                assertThat(p.message().path("response_type").asText()).isEqualTo("ephemeral");
                assertThat(slackText(p.message())).contains("needs the approver role");
            });
        }

        @Test
        void selfApprovalByButtonKeepsTheButtonsForSomeoneElse() {
            String planId = requestPlan(ADMIN);
            h.click(ADMIN, "approve", planId);
            assertThat(h.provider.applyCount()).isZero();
            assertThat(h.posted.get(0).message().path("replace_original").asBoolean()).isFalse();
        }

        @Test
        void interactionWithAnUnexpectedActionIs400() {
            HttpResponse r = h.click(APPROVER, "delete", "p-x");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).contains("payload.actions[0].action_id");
        }

        @Test
        void interactionPayloadThatIsNotJsonIs400() {
            HttpResponse r = h.send(h.signedSlack("payload=%7Bnot-json".getBytes(StandardCharsets.UTF_8)));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).contains("payload: expected JSON");
        }
    }
}
