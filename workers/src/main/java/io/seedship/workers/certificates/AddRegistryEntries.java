package io.seedship.workers.certificates;

import java.util.regex.Pattern;

/**
 * {@code AzureOfflineBackupCertGen.exe AddRegistryEntries SubscriptionId: xmlfilepath: storageaccountname:}:
 * records OfflineApplicationParams_<storageaccount>.xml and the registry values in Seedship's settings store,
 * where every copy computer finds them. Every input is checked before anything is written.
 */
public class AddRegistryEntries {

  private static final Pattern STORAGE_ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");

  private final SettingsStore settings;

  public AddRegistryEntries(SettingsStore settings) {
    this.settings = settings;
  }

  public OfflineApplicationParams run(String subscriptionId, String paramsXml, String origin, String storageAccountName) {
    if (storageAccountName == null || !STORAGE_ACCOUNT.matcher(storageAccountName).matches()) {
      throw new CertificateSetupException("storageaccountname '" + storageAccountName
          + "' must be 3 to 24 lower-case letters and digits, as the storage account is named in the portal.");
    }
    OfflineApplicationParams params;
    try {
      params = OfflineApplicationParams.parse(paramsXml, origin);
    } catch (IllegalArgumentException e) {
      throw new CertificateSetupException(e.getMessage());
    }
    if (!params.subscriptionId().equalsIgnoreCase(subscriptionId)) {
      throw new CertificateSetupException("SubscriptionId " + subscriptionId + " does not match " + origin + ", which was made for "
          + params.subscriptionId() + ": give the file of this subscription.");
    }
    OfflineApplicationParams registered = params.forStorageAccount(storageAccountName);
    settings.putDocument(params.subscriptionId(), OfflineApplicationParams.fileNameFor(storageAccountName), registered.toXml());
    settings.putValue(SettingsStore.CLOUD_BACKUP_PROVIDER, ApplicationNames.thumbprintValueFor(params.azureUserId()),
        params.certificateThumbprint());
    settings.putValue(SettingsStore.ONLINE_BACKUP, "CurrentUserId", params.azureUserId());
    return registered;
  }
}
