package io.seedship.workers.certificates;

import java.util.Optional;

/**
 * Seedship's configuration store, in the role of the backup server's registry and its Scratch folder:
 * any copy computer reads the values and documents the certificate setup left (PostgreSQL in production).
 */
public interface SettingsStore {

  String CLOUD_BACKUP_PROVIDER = "HKLM\\SOFTWARE\\Microsoft\\Windows Azure Backup\\Config\\CloudBackupProvider";
  String ONLINE_BACKUP = "HKLM\\SOFTWARE\\Microsoft\\Windows Azure Backup\\DbgSettings\\OnlineBackup";

  void putValue(String key, String name, String value);

  Optional<String> value(String key, String name);

  void putDocument(String subscriptionId, String name, String content);

  Optional<String> document(String subscriptionId, String name);
}
