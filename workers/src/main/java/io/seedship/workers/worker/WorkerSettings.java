package io.seedship.workers.worker;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * How a worker (a copy computer) reaches the engine and where it keeps its keys, from the environment:
 * {@code SEEDSHIP_ENGINE_URL} (default http://localhost:8080/engine-rest), {@code SEEDSHIP_WORKER_USER} and
 * {@code SEEDSHIP_WORKER_PASSWORD} (a user in group seedship-workers), {@code SEEDSHIP_KEY_DIR} (default
 * ~/.seedship/keys, created with mode 0700), {@code SEEDSHIP_WORKER_ID} (default: host name and process id).
 */
public record WorkerSettings(String engineUrl, String user, String password, Path keyDirectory, String workerId) {

  public static WorkerSettings fromEnvironment(Function<String, String> env) {
    String user = env.apply("SEEDSHIP_WORKER_USER");
    String password = env.apply("SEEDSHIP_WORKER_PASSWORD");
    if (user == null || user.isBlank() || password == null || password.isBlank()) {
      throw new IllegalArgumentException("Set SEEDSHIP_WORKER_USER and SEEDSHIP_WORKER_PASSWORD to a user of group "
          + "seedship-workers: /engine-rest refuses anonymous workers.");
    }
    return new WorkerSettings(
        or(env.apply("SEEDSHIP_ENGINE_URL"), "http://localhost:8080/engine-rest"),
        user, password,
        Path.of(or(env.apply("SEEDSHIP_KEY_DIR"), Path.of(System.getProperty("user.home"), ".seedship", "keys").toString())),
        or(env.apply("SEEDSHIP_WORKER_ID"), hostName() + "-" + ProcessHandle.current().pid()));
  }

  @Override
  public String toString() {
    return "WorkerSettings[" + engineUrl + ", user " + user + ", keys " + keyDirectory + ", id " + workerId + "]";
  }

  private static String or(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "worker";
    }
  }
}
