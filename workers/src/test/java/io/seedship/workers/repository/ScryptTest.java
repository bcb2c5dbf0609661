package io.seedship.workers.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.generators.SCrypt;
import org.junit.jupiter.api.Test;

class ScryptTest {

  @Test
  void matchesTheTestVectorsOfRfc7914() {
    assertThat(hex(Scrypt.derive(new byte[0], new byte[0], 16, 1, 1, 64))).isEqualTo(
        "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
            + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
    assertThat(hex(Scrypt.derive(ascii("password"), ascii("NaCl"), 1024, 8, 16, 64))).isEqualTo(
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
            + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
    assertThat(hex(Scrypt.derive(ascii("pleaseletmein"), ascii("SodiumChloride"), 16384, 8, 1, 64))).isEqualTo(
        "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
            + "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887");
  }

  @Test
  void agreesWithBouncyCastleOnOtherParameters() {
    Random random = new Random(7);
    for (int[] nrp : new int[][] {{2, 1, 1}, {64, 3, 2}, {1024, 16, 1}, {4096, 8, 4}}) {
      byte[] passphrase = new byte[1 + random.nextInt(100)];
      byte[] salt = new byte[random.nextInt(40)];
      random.nextBytes(passphrase);
      random.nextBytes(salt);
      assertThat(Scrypt.derive(passphrase, salt, nrp[0], nrp[1], nrp[2], 32))
          .isEqualTo(SCrypt.generate(passphrase, salt, nrp[0], nrp[1], nrp[2], 32));
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
