package io.seedship.workers.diskprep;

/**
 * scrypt cost of turning a recovery password into the key that wraps a volume key. Readers refuse values
 * above the bounds, so a hostile volume header cannot make a worker allocate gigabytes.
 */
public record KdfParameters(int n, int r, int p) {

  public static final KdfParameters DEFAULT = new KdfParameters(1 << 15, 8, 1);
  /** For tests only: fast, still a real scrypt. */
  public static final KdfParameters FAST = new KdfParameters(1 << 10, 8, 1);

  public KdfParameters {
    if (n < 2 || Integer.bitCount(n) != 1 || n > (1 << 20) || r < 1 || r > 16 || p < 1 || p > 4) {
      throw new IllegalArgumentException("scrypt parameters N=" + n + " r=" + r + " p=" + p
          + " are outside N ≤ 2^20 (a power of two), r ≤ 16, p ≤ 4");
    }
  }
}
