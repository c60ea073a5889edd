package io.cloudwarden.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way (docs/ARCHITECTURE.md): model ← engine ← providers, functions/core ← function apps.
 * The engine and the cloud-neutral core import no cloud SDK and no Quarkus; a provider never imports another.
 */
class ArchitectureTest {
    private static final String[] CLOUD_SDKS = {"software.amazon..", "com.amazonaws..", "com.azure..",
            "com.microsoft..", "com.google.cloud..", "com.google.api..", "com.google.auth..", "io.quarkus..",
            "jakarta.ws.rs..", "io.vertx.."};
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.cloudwarden");
    }

    @Test
    void theModelDependsOnNothingElseOfCloudwarden() {
        noClasses().that().resideInAPackage("io.cloudwarden.model..")
                .should().dependOnClassesThat().resideInAnyPackage("io.cloudwarden.engine..",
                        "io.cloudwarden.provider..", "io.cloudwarden.functions..", "io.cloudwarden.local..",
                        "io.cloudwarden.app..")
                .check(classes);
    }

    @Test
    void theEngineImportsNoCloudSdkAndNoQuarkus() {
        noClasses().that().resideInAPackage("io.cloudwarden.engine..")
                .should().dependOnClassesThat().resideInAnyPackage(CLOUD_SDKS)
                .check(classes);
        noClasses().that().resideInAPackage("io.cloudwarden.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("io.cloudwarden.provider..",
                        "io.cloudwarden.functions..", "io.cloudwarden.local..", "io.cloudwarden.app..")
                .check(classes);
    }

    /**
     * Telemetry (docs/TELEMETRY.md) is functions/core's: the engine reports through its listener interfaces
     * (ScanListener, AuditChain.onAppend) and the model knows nothing of it; only the core's API use, never an SDK.
     */
    @Test
    void onlyTheCoreAndTheBindingsUseOpenTelemetryAndTheCoreOnlyItsApi() {
        noClasses().that().resideInAnyPackage("io.cloudwarden.model..", "io.cloudwarden.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("io.opentelemetry..")
                .check(classes);
        noClasses().that().resideInAPackage("io.cloudwarden.functions..")
                .should().dependOnClassesThat().resideInAnyPackage("io.opentelemetry.sdk..",
                        "io.opentelemetry.exporter..")
                .check(classes);
    }

    @Test
    void theCloudNeutralCoreImportsNoCloudSdkNoQuarkusAndNoProvider() {
        noClasses().that().resideInAPackage("io.cloudwarden.functions..")
                .should().dependOnClassesThat().resideInAnyPackage(CLOUD_SDKS)
                .check(classes);
        noClasses().that().resideInAPackage("io.cloudwarden.functions..")
                .should().dependOnClassesThat().resideInAnyPackage("io.cloudwarden.provider..",
                        "io.cloudwarden.local..", "io.cloudwarden.app..")
                .check(classes);
    }

    @Test
    void aProviderNeverImportsAnotherProviderOrTheFunctions() {
        String[][] others = {{"aws", "azure", "gcp"}, {"azure", "aws", "gcp"}, {"gcp", "aws", "azure"}};
        for (String[] p : others) {
            noClasses().that().resideInAPackage("io.cloudwarden.provider." + p[0] + "..")
                    .should().dependOnClassesThat().resideInAnyPackage("io.cloudwarden.provider." + p[1] + "..",
                            "io.cloudwarden.provider." + p[2] + "..", "io.cloudwarden.functions..",
                            "io.cloudwarden.local..", "io.cloudwarden.app..")
                    .check(classes);
        }
    }

    @Test
    void onlyEachCloudsOwnCodeTouchesItsSdk() {
        noClasses().that().resideOutsideOfPackages("io.cloudwarden.provider.aws..", "io.cloudwarden.app.aws..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("io.cloudwarden.provider.azure..", "io.cloudwarden.app.azure..")
                .should().dependOnClassesThat().resideInAnyPackage("com.azure..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("io.cloudwarden.provider.gcp..", "io.cloudwarden.app.gcp..")
                .should().dependOnClassesThat().resideInAnyPackage("com.google.cloud..")
                .check(classes);
    }
}
