package io.seedship.workers.certificates;

/** The names the guide gives: the application per Azure user, the registry value per Azure user. */
public final class ApplicationNames {

  private ApplicationNames() {
  }

  public static String applicationFor(String azureUserId) {
    return "AzureOfflineBackup_" + azureUserId;
  }

  public static String thumbprintValueFor(String azureUserId) {
    return "AzureADAppCertThumbprint_" + azureUserId;
  }
}
