package io.seedship.workers.certificates;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code AzureOfflineBackupCertGen.exe CreateNewApplication SubscriptionId:<id>}: makes sure the directory has
 * the application {@code AzureOfflineBackup_<AzureUserId>} with this server's certificate
 * {@code CB_AzureADCertforOfflineSeeding_<ResourceId>}, and writes OfflineApplicationParams.xml.
 * <ul>
 *   <li>no application: create it and add the certificate;</li>
 *   <li>an application without certificates: delete it and create it again (as the guide says);</li>
 *   <li>an application with certificates: leave it alone; the operator uploads the certificate by hand.</li>
 * </ul>
 * Safe to repeat: the certificate is made once per resource, and an application that already carries it
 * counts as set up.
 */
public class CreateNewApplication {

  public enum Outcome { CREATED, MANUAL_UPLOAD_REQUIRED }

  public record Result(Outcome outcome, DirectoryApplication application, OfflineCertificate certificate,
                       OfflineApplicationParams params) {
  }

  private static final Logger log = LoggerFactory.getLogger(CreateNewApplication.class);

  private final Directory directory;
  private final CertificateStore certificates;
  private final SettingsStore settings;

  public CreateNewApplication(Directory directory, CertificateStore certificates, SettingsStore settings) {
    this.directory = directory;
    this.certificates = certificates;
    this.settings = settings;
  }

  public Result run(String subscriptionId, String resourceId) {
    if (subscriptionId == null || !subscriptionId.matches("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")) {
      throw new CertificateSetupException("SubscriptionId '" + subscriptionId + "' is not a GUID: copy it from the portal "
          + "or the publish-settings file.");
    }
    String userId = directory.signedInUserId();
    String name = ApplicationNames.applicationFor(userId);
    OfflineCertificate certificate = certificates.ensure(resourceId);
    Optional<DirectoryApplication> existing = directory.findApplication(name);

    DirectoryApplication application;
    Outcome outcome;
    if (existing.isPresent() && existing.get().hasCredentialWithThumbprint(certificate.thumbprint())) {
      application = existing.get();
      outcome = Outcome.CREATED;
    } else if (existing.isEmpty()) {
      application = createWithCertificate(name, certificate);
      outcome = Outcome.CREATED;
    } else if (existing.get().keyCredentials().isEmpty()) {
      log.info("Application {} exists without certificates: deleting and creating it again", name);
      directory.deleteApplication(existing.get().objectId());
      application = createWithCertificate(name, certificate);
      outcome = Outcome.CREATED;
    } else {
      application = existing.get();
      outcome = Outcome.MANUAL_UPLOAD_REQUIRED;
      log.info("Application {} already has {} certificate(s): certificate {} must be uploaded by hand", name,
          application.keyCredentials().size(), certificate.thumbprint());
    }

    OfflineApplicationParams params = new OfflineApplicationParams(subscriptionId, directory.tenantId(), userId, name,
        application.appId(), application.objectId(), certificate.subject(), certificate.thumbprint(), null);
    settings.putDocument(subscriptionId, OfflineApplicationParams.FILE_NAME, params.toXml());
    settings.putValue(SettingsStore.ONLINE_BACKUP, "CurrentUserId", userId);
    if (outcome == Outcome.CREATED) {
      settings.putValue(SettingsStore.CLOUD_BACKUP_PROVIDER, ApplicationNames.thumbprintValueFor(userId), certificate.thumbprint());
    }
    return new Result(outcome, application, certificate, params);
  }

  private DirectoryApplication createWithCertificate(String name, OfflineCertificate certificate) {
    DirectoryApplication created = directory.createApplication(name);
    directory.addKeyCredential(created.objectId(), KeyCredential.of(certificate));
    log.info("Created application {} ({}) with certificate {}", name, created.appId(), certificate.thumbprint());
    return directory.findApplication(name).orElse(created);
  }
}
