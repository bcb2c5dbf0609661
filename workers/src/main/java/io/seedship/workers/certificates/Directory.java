package io.seedship.workers.certificates;

import java.util.Optional;

/**
 * The directory where the offline-backup application is registered (Microsoft Entra ID through Graph, or
 * Seedship's local directory). Credentials are only ever added, never updated: the service refuses updates
 * to an existing credential ("Update to existing credential with KeyId … is not allowed").
 */
public interface Directory {

  /** The tenant the applications live in. */
  String tenantId();

  /** The id of the signed-in user: the application is named after it. */
  String signedInUserId();

  Optional<DirectoryApplication> findApplication(String displayName);

  DirectoryApplication createApplication(String displayName);

  void deleteApplication(String objectId);

  /**
   * Adds a certificate credential with a new key id.
   *
   * @throws DirectoryException when the key id exists already
   */
  void addKeyCredential(String objectId, KeyCredential credential);
}
