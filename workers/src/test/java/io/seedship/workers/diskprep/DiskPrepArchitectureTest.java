package io.seedship.workers.diskprep;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Disk preparation is plain Java: Camunda stays in the thin task handler ({@code ..diskprep.task}), Spring nowhere. */
@AnalyzeClasses(packages = "io.seedship.workers.diskprep", importOptions = ImportOption.DoNotIncludeTests.class)
class DiskPrepArchitectureTest {

  @ArchTest
  static final ArchRule domainHasNoCamunda = noClasses().that().resideInAPackage("io.seedship.workers.diskprep..")
      .and().resideOutsideOfPackage("io.seedship.workers.diskprep.task..")
      .should().dependOnClassesThat().resideInAnyPackage("org.camunda..", "io.seedship.processes..");

  @ArchTest
  static final ArchRule nothingUsesSpring = noClasses().that().resideInAPackage("io.seedship.workers.diskprep..")
      .should().dependOnClassesThat().resideInAPackage("org.springframework..");

  @ArchTest
  static final ArchRule domainDoesNotKnowItsCallers = noClasses().that().resideInAPackage("io.seedship.workers.diskprep")
      .should().dependOnClassesThat().resideInAnyPackage("io.seedship.workers.diskprep.task..", "io.seedship.workers.diskprep.cli..",
          "io.seedship.workers.diskprep.bench..", "io.seedship.workers.cli..");
}
