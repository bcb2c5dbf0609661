package io.seedship.workers.certificates;

import java.util.List;

/** An application registration: object id, application (client) id, name and its certificate credentials. */
public record DirectoryApplication(String objectId, String appId, String displayName, List<KeyCredential> keyCredentials) {

  public boolean hasCredentialWithThumbprint(String thumbprint) {
    return keyCredentials.stream().anyMatch(c -> thumbprint.equalsIgnoreCase(c.thumbprint()));
  }
}
