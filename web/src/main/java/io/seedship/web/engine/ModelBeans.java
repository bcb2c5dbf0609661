package io.seedship.web.engine;

import io.seedship.processes.delegates.RecordShippingDetails;
import io.seedship.processes.delegates.RegisterSeedingRequest;
import io.seedship.processes.delegates.SeedingLifecycle;
import io.seedship.seeding.SeedingRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans the offline-seeding model names in its expressions, backed by the database registry. */
@Configuration(proxyBeanMethods = false)
class ModelBeans {

  @Bean
  RegisterSeedingRequest registerSeedingRequest(SeedingRegistry registry) {
    return new RegisterSeedingRequest(registry);
  }

  @Bean
  RecordShippingDetails recordShippingDetails(SeedingRegistry registry) {
    return new RecordShippingDetails(registry);
  }

  @Bean
  SeedingLifecycle seedingLifecycle(SeedingRegistry registry) {
    return new SeedingLifecycle(registry);
  }
}
