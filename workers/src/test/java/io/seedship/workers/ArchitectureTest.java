package io.seedship.workers;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The engine is plain Java: Camunda and Spring stay in the thin adapters around it. */
@AnalyzeClasses(packages = "io.seedship.workers", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule engineHasNoCamunda = noClasses().that().resideInAPackage("io.seedship.workers.repository..")
      .should().dependOnClassesThat().resideInAnyPackage("org.camunda..", "io.seedship.processes..");

  @ArchTest
  static final ArchRule engineHasNoSpring = noClasses().that().resideInAPackage("io.seedship.workers.repository..")
      .should().dependOnClassesThat().resideInAPackage("org.springframework..");

  @ArchTest
  static final ArchRule engineDoesNotKnowItsCallers = noClasses().that().resideInAPackage("io.seedship.workers.repository..")
      .should().dependOnClassesThat().resideInAnyPackage("io.seedship.workers.staging..", "io.seedship.workers.cli..",
          "io.seedship.workers.bench..");
}
