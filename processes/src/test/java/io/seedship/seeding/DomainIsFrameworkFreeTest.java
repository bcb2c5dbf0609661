package io.seedship.seeding;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class DomainIsFrameworkFreeTest {

  @Test
  void theSeedingDomainKnowsNeitherCamundaNorSpring() {
    noClasses().that().resideInAPackage("io.seedship.seeding..")
        .should().dependOnClassesThat().resideInAnyPackage("org.camunda..", "org.springframework..")
        .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.seedship.seeding"));
  }
}
