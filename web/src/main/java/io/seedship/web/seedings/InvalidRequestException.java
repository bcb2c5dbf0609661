package io.seedship.web.seedings;

import java.util.List;

/** Input that cannot be accepted; every problem is a sentence an operator can act on. */
class InvalidRequestException extends RuntimeException {

  private final List<String> problems;

  InvalidRequestException(String message, List<String> problems) {
    super(message);
    this.problems = List.copyOf(problems);
  }

  List<String> problems() {
    return problems;
  }
}
