package io.seedship.web.engine;

import java.util.Set;
import org.camunda.bpm.engine.spring.ProcessEngineFactoryBean;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDependsOnDatabaseInitializationDetector;

/**
 * The Camunda starter builds the engine before Liquibase has run, and an engine on an empty database with
 * schema-update=false refuses to start (ENGINE-03057). Declaring the engine factory as depending on database
 * initialisation makes Spring run the migrations first. Registered in META-INF/spring.factories.
 */
public class EngineAfterMigrations extends AbstractBeansOfTypeDependsOnDatabaseInitializationDetector {

  @Override
  protected Set<Class<?>> getDependsOnDatabaseInitializationBeanTypes() {
    return Set.of(ProcessEngineFactoryBean.class);
  }
}
