package io.seedship.web.certificates;

import io.seedship.processes.SeedingProcess;
import io.seedship.workers.certificates.AddRegistryEntries;
import io.seedship.workers.certificates.CertificateStore;
import io.seedship.workers.certificates.CreateNewApplication;
import io.seedship.workers.certificates.Directory;
import io.seedship.workers.certificates.SettingsStore;
import io.seedship.workers.certificates.VerifyUploadedCertificate;
import io.seedship.workers.certificates.graph.GraphDirectory;
import io.seedship.workers.certificates.jdbc.JdbcDirectory;
import io.seedship.workers.certificates.jdbc.JdbcSettingsStore;
import io.seedship.web.tasks.InProcessWorker;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ExternalTaskService;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The certificate setup's parts, and the in-process worker that runs its three topics. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CertificateProperties.class)
class CertificateConfiguration {

  @Bean
  Directory directory(CertificateProperties properties, DataSource dataSource) {
    if (properties.directory().isGraph()) {
      String token = properties.directory().graphToken();
      if (token == null || token.isBlank()) {
        throw new IllegalStateException("seedship.directory.kind=graph needs seedship.directory.graph-token (SEEDSHIP_GRAPH_TOKEN).");
      }
      return new GraphDirectory(properties.directory().graphUrl(), () -> token);
    }
    return new JdbcDirectory(dataSource);
  }

  @Bean
  SettingsStore settingsStore(DataSource dataSource) {
    return new JdbcSettingsStore(dataSource);
  }

  @Bean
  CertificateStore certificateStore(CertificateProperties properties) {
    return new CertificateStore(properties.certificates().dir(), properties.certificates().secretsDir());
  }

  @Bean
  CertificateTopics certificateTopics(CertificateProperties properties, Directory directory, CertificateStore certificates,
                                      SettingsStore settings) {
    return new CertificateTopics(properties.certificates().resourceId(),
        new CreateNewApplication(directory, certificates, settings),
        new VerifyUploadedCertificate(directory, certificates, settings),
        new AddRegistryEntries(settings), settings);
  }

  @Bean
  InProcessWorker certificateWorker(ExternalTaskService externalTasks, CertificateTopics topics,
                                    @Value("${seedship.in-process-worker.poll-interval:PT0.5S}") Duration pollInterval) {
    return new InProcessWorker(externalTasks, Map.of(
        SeedingProcess.Topics.CERTIFICATE_SETUP, topics::setUp,
        SeedingProcess.Topics.CERTIFICATE_VERIFY, topics::verify,
        SeedingProcess.Topics.CERTIFICATE_REGISTER, topics::register), pollInterval, "seedship-server-certificates");
  }
}
