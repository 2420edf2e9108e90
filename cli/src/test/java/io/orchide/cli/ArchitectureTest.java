package io.orchide.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Dependencies point one way, as DESIGN.md draws them: model <- runtime <- node; model <- web, image, link <- node,
 * ground; model <- orbit (TLEs, passes) <- node (its position from its TLE), ground, twin; model <- client (with runtime's archive format) <- twin, cli; twin and cli on top; the testkit only under tests. The link carries bundles without knowing what they mean; ground reaches a node only through it.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.orchide");
    }

    /**
     * A client verb starts in a fraction of a second only without these: an ObjectMapper builds its serializers by
     * reflection, and the JDK's HttpClient sets up TLS and a selector thread even for plain http.
     */
    @Test
    void theClientVerbsStartWithoutAMapperOrTheHttpClient() {
        noClasses().that().resideInAPackage("io.orchide.cli..")
                .should().dependOnClassesThat().haveFullyQualifiedName("com.fasterxml.jackson.databind.ObjectMapper")
                .orShould().dependOnClassesThat().resideInAPackage("java.net.http..")
                .check(classes);
    }

    @Test
    void modelDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("io.orchide.model..")
                .should().dependOnClassesThat().resideInAnyPackage("io.orchide.runtime..", "io.orchide.node..",
                        "io.orchide.cli..", "io.orchide.link..", "io.orchide.ground..", "io.orchide.image..",
                        "io.orchide.web..")
                .check(classes);
    }

    @Test
    void modelDoesNoIo() {
        noClasses().that().resideInAPackage("io.orchide.model..")
                .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.sql..")
                .orShould().callMethod(java.nio.file.Files.class, "readString", java.nio.file.Path.class)
                .check(classes);
    }

    @Test
    void runtimeKnowsNothingOfTheAgentOrTheClient() {
        noClasses().that().resideInAPackage("io.orchide.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage("io.orchide.node..", "io.orchide.cli..")
                .check(classes);
    }

    @Test
    void agentDoesNotReachIntoTheClient() {
        noClasses().that().resideInAPackage("io.orchide.node..")
                .should().dependOnClassesThat().resideInAPackage("io.orchide.cli..")
                .check(classes);
    }

    @Test
    void theLinkKnowsNothingOfWhatItCarries() {
        noClasses().that().resideInAPackage("io.orchide.link..")
                .should().dependOnClassesThat().resideInAnyPackage("io.orchide.node..", "io.orchide.ground..",
                        "io.orchide.runtime..", "io.orchide.cli..", "io.orchide.image..", "io.orchide.model.message..")
                .check(classes);
    }

    @Test
    void groundReachesANodeOnlyThroughTheLink() {
        noClasses().that().resideInAPackage("io.orchide.ground..")
                .should().dependOnClassesThat().resideInAnyPackage("io.orchide.node..", "io.orchide.runtime..",
                        "io.orchide.cli..")
                .check(classes);
    }

    @Test
    void theJoseLibraryStaysBehindTheOidcVerifier() {
        // OidcVerifier's API speaks in our records: the library can be upgraded or replaced in one package
        noClasses().that().resideOutsideOfPackage("io.orchide.ground.auth.oidc..")
                .should().dependOnClassesThat().resideInAPackage("com.nimbusds..")
                .check(classes);
    }

    @Test
    void onnxRuntimeStaysBehindTheModelRunner() {
        // the broker speaks in Tensors and ModelRunners: another runtime (or ONNX Runtime's CUDA build) is one class
        noClasses().that().doNotHaveFullyQualifiedName("io.orchide.node.inference.OnnxRunner")
                .should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..")
                .check(classes);
    }

    @Test
    void nodeAndGroundUseOnlyTheLinksPublicApi() {
        // the public API: the endpoint and its values (io.orchide.link), the store to open and the transports to
        // choose; the session and the wire format behind them may change without either tier noticing
        noClasses().that().resideInAnyPackage("io.orchide.node..", "io.orchide.ground..")
                .should().dependOnClassesThat().resideInAnyPackage("io.orchide.link.session..", "io.orchide.link.wire..")
                .check(classes);
    }

    /**
     * The agent's composition root builds each part after what it needs and registers listeners once their targets
     * exist: no holder set after construction (an AtomicReference filled in later) breaks a construction cycle.
     */
    @Test
    void theAgentIsPutTogetherInDependencyOrderWithoutHolders() {
        noClasses().that().haveNameMatching("io\\.orchide\\.node\\.NodeAgent(\\$.*)?")
                .should().dependOnClassesThat().resideInAPackage("java.util.concurrent.atomic..")
                .check(classes);
    }

    @Test
    void imagesAndTheWebLayerStandAlone() {
        noClasses().that().resideInAnyPackage("io.orchide.image..", "io.orchide.web..")
                .should().dependOnClassesThat().resideInAnyPackage("io.orchide.node..", "io.orchide.ground..",
                        "io.orchide.runtime..", "io.orchide.cli..", "io.orchide.link..")
                .check(classes);
    }

    @Test
    void groundsAccessControlKnowsNoResourceOfItsOwn() {
        // who may do what is decided from the caller and a (verb, resource, tenant) the API hands over: the auth
        // package reads its own tables and nothing of the fleet, desired state, reports, products or images
        noClasses().that().resideInAPackage("io.orchide.ground.auth..")
                .should().dependOnClassesThat().resideInAnyPackage("io.orchide.ground.api..", "io.orchide.ground.desired..",
                        "io.orchide.ground.fleet..", "io.orchide.ground.report..", "io.orchide.ground.product..",
                        "io.orchide.ground.image..", "io.orchide.ground.intake..", "io.orchide.ground.link..",
                        "io.orchide.link..")
                .check(classes);
    }

    @Test
    void theDashboardServesFilesAndReadsNothingOfGround() {
        // the dashboard's files are answered without a token: what the page shows it asks of the API with the
        // user's token, so the class serving them must reach no store of ground's and no decision
        noClasses().that().resideInAPackage("io.orchide.ground.web..")
                .should().dependOnClassesThat(resideInAnyPackage("io.orchide.ground..", "io.orchide.link..", "java.sql..")
                        .and(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage("io.orchide.ground.web..")))
                .check(classes);
    }

    @Test
    void theClientDecidesNothingANodeOrGroundDecides() {
        // the client reads manifests, names images by content and sends them; it reaches a server only through the
        // Server it is given, and shares with the node only the format of a root filesystem archive
        noClasses().that().resideInAPackage("io.orchide.client..")
                .should().dependOnClassesThat(resideInAnyPackage("io.orchide.node..", "io.orchide.ground..",
                        "io.orchide.runtime..", "io.orchide.link..", "io.orchide.web..", "io.orchide.cli..",
                        "io.orchide.twin..").and(not(type(io.orchide.runtime.image.RootfsArchive.class))))
                .check(classes);
    }

    @Test
    void onlyTheClientsHttpServerTalksHttpAndNeverThroughTheHttpClient() {
        noClasses().that().resideInAPackage("io.orchide.client").should().dependOnClassesThat()
                .resideInAPackage("java.net..")
                .check(classes);
        noClasses().that().resideInAPackage("io.orchide.client..").should().dependOnClassesThat()
                .resideInAPackage("java.net.http..")
                .check(classes);
    }

    @Test
    void theTwinAppliesThroughTheClientNotTheCli() {
        noClasses().that().resideInAPackage("io.orchide.twin..")
                .should().dependOnClassesThat().resideInAPackage("io.orchide.cli..")
                .check(classes);
    }

    @Test
    void theTwinIsNeverNeededInFlight() {
        noClasses().that().resideInAnyPackage("io.orchide.node..", "io.orchide.ground..", "io.orchide.link..",
                        "io.orchide.runtime..", "io.orchide.model..", "io.orchide.image..", "io.orchide.web..",
                        "io.orchide.client..")
                .should().dependOnClassesThat().resideInAPackage("io.orchide.twin..")
                .check(classes);
    }

    @Test
    void theOrbitCodeIsSharedByGroundAndTheTwinAndKnowsNeither() {
        noClasses().that().resideInAPackage("io.orchide.orbit..")
                .should().dependOnClassesThat().resideInAnyPackage("io.orchide.twin..", "io.orchide.ground..",
                        "io.orchide.node..", "io.orchide.link..", "io.orchide.cli..", "io.orchide.client..")
                .check(classes);
    }

    @Test
    void theTestkitIsForTestsOnly() {
        noClasses().that().resideOutsideOfPackage("io.orchide.testkit..")
                .should().dependOnClassesThat().resideInAPackage("io.orchide.testkit..")
                .check(classes);
    }

    @Test
    void theTestkitDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("io.orchide.testkit..")
                .should().dependOnClassesThat().resideInAnyPackage("io.orchide.model..", "io.orchide.runtime..",
                        "io.orchide.web..", "io.orchide.image..", "io.orchide.link..", "io.orchide.node..",
                        "io.orchide.ground..", "io.orchide.twin..", "io.orchide.cli..")
                .check(classes);
    }
}
