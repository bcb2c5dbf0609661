package io.seedship.workers.diskprep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** BitLocker's recovery-password form: eight groups of six digits, each divisible by 11. */
class RecoveryPasswordTest {

  @Test
  void aGeneratedPasswordHasEightGroupsDivisibleByElevenAndParsesBack() {
    RecoveryPassword password = RecoveryPassword.generate(new SecureRandom());
    String text = password.reveal();

    assertThat(text).matches("\\d{6}(-\\d{6}){7}");
    for (String group : text.split("-")) {
      assertThat(Integer.parseInt(group) % 11).isZero();
      assertThat(Integer.parseInt(group)).isLessThan(720_896);
    }
    assertThat(RecoveryPassword.parse(text)).isEqualTo(password);
    assertThat(RecoveryPassword.parse(text.replace('-', ' '))).isEqualTo(password);
    assertThat(password.toString()).doesNotContain(text.substring(0, 6));
  }

  @Test
  void mistypedPasswordsAreRefusedNamingTheGroup() {
    assertThatThrownBy(() -> RecoveryPassword.parse("000011-000022-000033-000044-000055-000066-000077"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 7 groups");
    assertThatThrownBy(() -> RecoveryPassword.parse("000011-000022-000034-000044-000055-000066-000077-000088"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Group 3").hasMessageContaining("multiple of 11");
    assertThatThrownBy(() -> RecoveryPassword.parse("000011-000022-000033-000044-000055-000066-000077-72089A"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Group 8 of the recovery password is not six digits");
    assertThatThrownBy(() -> RecoveryPassword.parse("000011-000022-000033-000044-000055-000066-000077-720907"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Group 8");
  }
}
