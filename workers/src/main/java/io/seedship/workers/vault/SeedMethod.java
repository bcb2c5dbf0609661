package io.seedship.workers.vault;

/** How a protection's first backup reached the vault. */
public enum SeedMethod {
  /** Staged, shipped on drives, imported, then copied into the vault. */
  OFFLINE("offline"),
  /** Backed up straight into the vault over the network. */
  NETWORK("network");

  private final String code;

  SeedMethod(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static SeedMethod ofCode(String code) {
    for (SeedMethod method : values()) {
      if (method.code.equals(code)) {
        return method;
      }
    }
    throw new IllegalArgumentException("unknown seed method " + code);
  }
}
