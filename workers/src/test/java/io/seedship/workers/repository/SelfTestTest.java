package io.seedship.workers.repository;

import static org.assertj.core.api.Assertions.assertThat;

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
}
