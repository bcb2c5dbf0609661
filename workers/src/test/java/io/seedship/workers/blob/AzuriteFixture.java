package io.seedship.workers.blob;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Azurite's blob service for the tests: the pinned npm package (tools/azurite), installed with {@code npm ci}
 * when missing, started once per test run on a free loopback port with its data in a temporary folder, and
 * stopped when the run ends. Use with {@code @ExtendWith(AzuriteFixture.class)} and {@link #connectionString()}.
 */
public final class AzuriteFixture implements BeforeAllCallback {

  /** Azurite's well-known development account and its publicly documented key (not a secret). */
  public static final String ACCOUNT = "devstoreaccount1";
  private static final String ACCOUNT_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private static Running running;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    synchronized (AzuriteFixture.class) {
      if (running == null) {
        running = start();
        // Closed by JUnit when the whole run ends, so all test classes share one Azurite.
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(AzuriteFixture.class.getName(), running);
      }
    }
  }

  public static String connectionString() {
    if (running == null) {
      throw new IllegalStateException("Azurite is not running: annotate the test class with @ExtendWith(AzuriteFixture.class).");
    }
    return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + ACCOUNT_KEY + ";BlobEndpoint=http://127.0.0.1:"
        + running.port + "/" + ACCOUNT + ";";
  }

  private static Running start() throws IOException, InterruptedException {
    Path tools = repositoryRoot().resolve("tools").resolve("azurite");
    if (!Files.isDirectory(tools.resolve("node_modules").resolve("azurite"))) {
      run(List.of("npm", "ci", "--prefix", tools.toString(), "--no-audit", "--no-fund"), tools);
    }
    Path data = Files.createTempDirectory("seedship-azurite-");
    int port = freePort();
    Path log = data.resolve("azurite.out");
    Process process = new ProcessBuilder("node", tools.resolve("node_modules/azurite/dist/src/blob/main.js").toString(),
        "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port), "--location", data.resolve("store").toString(),
        "--skipApiVersionCheck", "--loose", "--silent")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Running started = new Running(process, port, data);
    awaitAnswer(started, log);
    return started;
  }

  private static void awaitAnswer(Running started, Path log) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + started.port + "/" + ACCOUNT + "?comp=list"))
        .timeout(Duration.ofSeconds(2)).GET().build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!started.process.isAlive()) {
        throw new IllegalStateException("Azurite exited at start with code " + started.process.exitValue() + ": "
            + Files.readString(log, StandardCharsets.UTF_8));
      }
      try {
        http.send(probe, HttpResponse.BodyHandlers.discarding());
        return; // any HTTP answer (even 403 for the unsigned probe) means it listens
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    started.close();
    throw new IllegalStateException("Azurite did not answer on port " + started.port + " within " + START_TIMEOUT.toSeconds()
        + " s: " + Files.readString(log, StandardCharsets.UTF_8));
  }

  private static void run(List<String> command, Path folder) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (is npm installed and the registry reachable?): "
          + output);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Tests run in workers/; the repository root is the folder above that holds tools/azurite. */
  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("tools/azurite/package.json"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("tools/azurite/package.json not found above " + Path.of("").toAbsolutePath());
  }

  private record Running(Process process, int port, Path data) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() throws IOException, InterruptedException {
      process.destroy();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      try (Stream<Path> files = Files.walk(data)) {
        for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(f);
        }
      }
    }
  }
}
