package io.seedship.web.security;

public class ApiAccessDeniedException extends RuntimeException {

  ApiAccessDeniedException(String message) {
    super(message);
  }
}
