package io.seedship.web.seedings;

import io.seedship.seeding.SeedingConflictException;
import io.seedship.web.security.ApiAccessDeniedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns refusals into answers a client can act on: a status, a sentence and, for bad input, every problem. */
@RestControllerAdvice(basePackages = "io.seedship.web")
class ApiErrors {

  @ExceptionHandler(InvalidRequestException.class)
  ResponseEntity<Map<String, Object>> invalid(InvalidRequestException e) {
    return body(HttpStatus.BAD_REQUEST, e.getMessage(), e.problems());
  }

  @ExceptionHandler(SeedingConflictException.class)
  ResponseEntity<Map<String, Object>> conflict(SeedingConflictException e) {
    return body(HttpStatus.CONFLICT, e.getMessage(), List.of());
  }

  @ExceptionHandler(SeedingNotFoundException.class)
  ResponseEntity<Map<String, Object>> notFound(SeedingNotFoundException e) {
    return body(HttpStatus.NOT_FOUND, e.getMessage(), List.of());
  }

  @ExceptionHandler({ApiAccessDeniedException.class, AuthorizationException.class})
  ResponseEntity<Map<String, Object>> forbidden(RuntimeException e) {
    return body(HttpStatus.FORBIDDEN, e.getMessage(), List.of());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
    return body(HttpStatus.BAD_REQUEST, "The request body is not the JSON object this endpoint expects: see the README's API section.", List.of());
  }

  private static ResponseEntity<Map<String, Object>> body(HttpStatus status, String message, List<String> problems) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status.value());
    body.put("error", message);
    if (!problems.isEmpty()) {
      body.put("problems", problems);
    }
    return ResponseEntity.status(status).body(body);
  }
}
