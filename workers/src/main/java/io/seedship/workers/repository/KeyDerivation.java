package io.seedship.workers.repository;

/** scrypt parameters with the bounds a reader accepts (docs/repository-format.md §2). */
public record KeyDerivation(int n, int r, int p) {

  public static final KeyDerivation DEFAULT = new KeyDerivation(1 << 15, 8, 1);
  /** Cheap parameters for tests and for key files that already hold 256 random bits. */
  public static final KeyDerivation FAST = new KeyDerivation(1 << 12, 8, 1);

  private static final int MAX_N = 1 << 20;
  private static final int MAX_R = 16;
  private static final int MAX_P = 4;

  public KeyDerivation {
    if (n < 2 || (n & (n - 1)) != 0 || n > MAX_N || r < 1 || r > MAX_R || p < 1 || p > MAX_P) {
      throw new NotARepositoryException("scrypt parameters N=" + n + " r=" + r + " p=" + p
          + " are outside the accepted bounds (N a power of two ≤ 2^20, r ≤ 16, p ≤ 4): the key file is damaged or hostile.");
    }
  }

  byte[] derive(byte[] secret, byte[] salt) {
    return Scrypt.derive(secret, salt, n, r, p, 32);
  }
}
