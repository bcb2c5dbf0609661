package io.seedship.workers.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfTestTest {

  @TempDir
  Path temp;

  @Test
  void passesOnThisJvmAndLeavesNothingBehind() throws Exception {
    Duration took = SelfTest.run(temp);

    assertThat(took).isPositive();
    try (Stream<Path> left = Files.list(temp)) {
      assertThat(left).as("its folder is deleted").isEmpty();
    }
  }

  @Test
  void aRestoredByteThatDiffersFailsItWithAdviceAndLeavesNothingBehind() throws Exception {
    assertThatThrownBy(() -> SelfTest.run(temp, dir -> {
      try {
        Path restored = dir.resolve("restore-2").resolve("f33");
        byte[] bytes = Files.readAllBytes(restored);
        bytes[bytes.length / 2] ^= 1;
        Files.write(restored, bytes);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    })).isInstanceOf(SelfTestFailedException.class).hasMessageContaining("restored f33 with other bytes")
        .hasMessageContaining("JDK 25.0.2");
    try (Stream<Path> left = Files.list(temp)) {
      assertThat(left).isEmpty();
    }
  }
}
