package io.seedship.workers.certificates;

import java.util.Optional;

/**
 * The manual path's check: the thumbprint the operator copied from the portal must be the one of the
 * certificate Seedship made, and the application must really carry it. Then the thumbprint is recorded as
 * {@code AzureADAppCertThumbprint_<AzureUserId>}.
 */
public class VerifyUploadedCertificate {

  public record Verdict(boolean accepted, String problem) {

    static Verdict refused(String problem) {
      return new Verdict(false, problem);
    }
  }

  private final Directory directory;
  private final CertificateStore certificates;
  private final SettingsStore settings;

  public VerifyUploadedCertificate(Directory directory, CertificateStore certificates, SettingsStore settings) {
    this.directory = directory;
    this.certificates = certificates;
    this.settings = settings;
  }

  public Verdict verify(String resourceId, String pastedThumbprint) {
    String thumbprint = Thumbprints.normalise(pastedThumbprint);
    if (!Thumbprints.isWellFormed(thumbprint)) {
      return Verdict.refused("'" + pastedThumbprint + "' is not a certificate thumbprint: copy the 40 hexadecimal digits "
          + "of the Thumbprint field (spaces do not matter).");
    }
    Optional<OfflineCertificate> ours = certificates.find(resourceId);
    if (ours.isEmpty()) {
      return Verdict.refused("Seedship holds no certificate for resource " + resourceId + ": run the certificate setup again.");
    }
    if (!ours.get().thumbprint().equals(thumbprint)) {
      return Verdict.refused("Thumbprint " + thumbprint + " is not the one of the certificate Seedship made ("
          + ours.get().thumbprint() + ", " + ours.get().subject() + "): upload that certificate's .cer and copy its thumbprint.");
    }
    String userId = directory.signedInUserId();
    String name = ApplicationNames.applicationFor(userId);
    Optional<DirectoryApplication> application = directory.findApplication(name);
    if (application.isEmpty()) {
      return Verdict.refused("The directory has no application " + name + ": run the certificate setup again.");
    }
    if (!application.get().hasCredentialWithThumbprint(thumbprint)) {
      return Verdict.refused("Application " + name + " has no certificate with thumbprint " + thumbprint
          + " yet: upload the .cer under Certificates & secrets first, then submit the thumbprint again.");
    }
    settings.putValue(SettingsStore.CLOUD_BACKUP_PROVIDER, ApplicationNames.thumbprintValueFor(userId), thumbprint);
    return new Verdict(true, null);
  }
}
