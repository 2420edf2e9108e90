package io.orchide.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Dependencies point one way: model <- runtime <- node <- cli, as DESIGN.md draws them. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.orchide");
    }

    @Test
    void modelDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("io.orchide.model..")
                .should().dependOnClassesThat().resideInAnyPackage("io.orchide.runtime..", "io.orchide.node..",
                        "io.orchide.cli..")
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
}
