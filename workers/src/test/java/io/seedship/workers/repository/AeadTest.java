package io.seedship.workers.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * The JDK's AES-GCM (with whatever intrinsics this CPU gets) against BouncyCastle's pure-Java GCM, in both
 * directions, over lengths around the segment size and the intrinsics' 768-byte strides.
 */
class AeadTest {

  private final Random random = new Random(42);
  private final byte[] key = bytes(32);
  private final byte[] aadPrefix = bytes(64);
  private final Aead aead = new Aead(key);

  @Test
  void whatTheJdkSealsAReferenceImplementationOpensAndTheOtherWayRound() throws Exception {
    int[] lengths = {0, 1, 15, 16, 17, 767, 768, 769, 7679, 7680, 7681, 8192, 15360, 16383, 16384, 16385,
        32768, 32769, 49151, 100_000, 262_144 + 13, 1_048_576};
    for (int length : lengths) {
      byte[] plain = bytes(length);
      int offset = random.nextInt(40);
      byte[] sealed = new byte[offset + Aead.sealedLength(length)];
      int written = aead.seal(Arrays.copyOf(plain, length), 0, length, aadPrefix, sealed, offset);
      assertThat(written).isEqualTo(Aead.sealedLength(length));
      byte[] sealedOnly = Arrays.copyOfRange(sealed, offset, offset + written);

      assertThat(referenceOpen(sealedOnly)).as("reference opens what the JDK sealed, %d bytes", length).isEqualTo(plain);
      assertThat(aead.open(referenceSeal(plain, Arrays.copyOf(sealedOnly, Aead.NONCE)), aadPrefix))
          .as("the JDK opens what the reference sealed, %d bytes", length).isEqualTo(plain);
      assertThat(aead.opens(sealed, offset, written, aadPrefix)).isTrue();
    }
  }

  @Test
  void aSealedMessageWithOneFlippedBitDoesNotOpen() {
    byte[] plain = bytes(40_000);
    byte[] sealed = aead.seal(plain, aadPrefix);
    for (int position : new int[] {0, Aead.NONCE, Aead.NONCE + 16_384 + 3, sealed.length - 1}) {
      byte[] tampered = sealed.clone();
      tampered[position] ^= 0x10;
      assertThat(aead.opens(tampered, 0, tampered.length, aadPrefix)).as("flip at %d", position).isFalse();
      assertThatThrownBy(() -> aead.open(tampered, aadPrefix)).isInstanceOf(AEADBadTagException.class);
    }
    byte[] otherAad = aadPrefix.clone();
    otherAad[0] ^= 1;
    assertThat(aead.opens(sealed, 0, sealed.length, otherAad)).isFalse();
  }

  @Test
  void theEngineTestsRunWithEverySealChecked() {
    // workers/pom.xml sets -Dseedship.aead.checkSeals=true, so every engine test seals through the check
    assertThat(Aead.SEALS_CHECKED).isTrue();
  }

  private byte[] referenceOpen(byte[] sealed) throws InvalidCipherTextException {
    byte[] base = Arrays.copyOf(sealed, Aead.NONCE);
    int plainLength = Aead.openedLength(sealed.length);
    int segments = Aead.segments(plainLength);
    byte[] plain = new byte[plainLength];
    int read = Aead.NONCE;
    for (int i = 0; i < segments; i++) {
      int length = Math.min(Aead.SEGMENT, plainLength - i * Aead.SEGMENT);
      GCMModeCipher gcm = gcm(false, base, i, i == segments - 1);
      int n = gcm.processBytes(sealed, read, length + Aead.TAG, plain, i * Aead.SEGMENT);
      gcm.doFinal(plain, i * Aead.SEGMENT + n);
      read += length + Aead.TAG;
    }
    return plain;
  }

  private byte[] referenceSeal(byte[] plain, byte[] base) throws InvalidCipherTextException {
    int segments = Aead.segments(plain.length);
    byte[] sealed = new byte[Aead.sealedLength(plain.length)];
    System.arraycopy(base, 0, sealed, 0, Aead.NONCE);
    int written = Aead.NONCE;
    for (int i = 0; i < segments; i++) {
      int length = Math.min(Aead.SEGMENT, plain.length - i * Aead.SEGMENT);
      GCMModeCipher gcm = gcm(true, base, i, i == segments - 1);
      int n = gcm.processBytes(plain, i * Aead.SEGMENT, length, sealed, written);
      written += n + gcm.doFinal(sealed, written + n);
    }
    return sealed;
  }

  /** The format's segment i (docs/repository-format.md §3): nonce base XOR i, AAD prefix ‖ i ‖ last. */
  private GCMModeCipher gcm(boolean encrypt, byte[] base, int segment, boolean last) {
    byte[] nonce = base.clone();
    for (int b = 0; b < 4; b++) {
      nonce[8 + b] ^= (byte) (segment >>> (24 - 8 * b));
    }
    byte[] aad = Arrays.copyOf(aadPrefix, aadPrefix.length + 5);
    for (int b = 0; b < 4; b++) {
      aad[aadPrefix.length + b] = (byte) (segment >>> (24 - 8 * b));
    }
    aad[aadPrefix.length + 4] = (byte) (last ? 1 : 0);
    GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
    gcm.init(encrypt, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
    return gcm;
  }

  private byte[] bytes(int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }
}
