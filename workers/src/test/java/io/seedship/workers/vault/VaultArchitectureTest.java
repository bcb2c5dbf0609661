package io.seedship.workers.vault;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The vault's use cases are plain Java: Camunda stays in vault.task, the command line in vault.cli. */
@AnalyzeClasses(packages = "io.seedship.workers.vault", importOptions = ImportOption.DoNotIncludeTests.class)
class VaultArchitectureTest {

  @ArchTest
  static final ArchRule vaultHasNoCamunda = noClasses().that().resideInAPackage("io.seedship.workers.vault")
      .should().dependOnClassesThat().resideInAnyPackage("org.camunda..", "io.seedship.processes..", "org.springframework..");

  @ArchTest
  static final ArchRule vaultDoesNotKnowItsCallers = noClasses().that().resideInAPackage("io.seedship.workers.vault")
      .should().dependOnClassesThat().resideInAnyPackage("io.seedship.workers.vault.task..", "io.seedship.workers.vault.cli..",
          "io.seedship.workers.worker..", "io.seedship.workers.cli..");
}
