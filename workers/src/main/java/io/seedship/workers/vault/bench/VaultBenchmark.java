package io.seedship.workers.vault.bench;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.seedship.workers.FileTrees;
import io.seedship.workers.bench.HeapWatch;
import io.seedship.workers.blob.BlobClients;
import io.seedship.workers.blob.ChecksummedUpload;
import io.seedship.workers.blob.UploadResult;
import io.seedship.workers.datacenter.StagedFiles;
import io.seedship.workers.repository.ProgressListener;
import io.seedship.workers.repository.SelfTest;
import io.seedship.workers.staging.StageBackup;
import io.seedship.workers.staging.StagedBackup;
import io.seedship.workers.staging.StagingLayout;
import io.seedship.workers.staging.StagingSettings;
import io.seedship.workers.vault.BackUpToVault;
import io.seedship.workers.vault.CopySeedIntoVault;
import io.seedship.workers.vault.InMemoryVaultCatalogue;
import io.seedship.workers.vault.NewRecoveryPoint;
import io.seedship.workers.vault.Protection;
import io.seedship.workers.vault.RecoveryPoint;
import io.seedship.workers.vault.RecoveryPointKind;
import io.seedship.workers.vault.RestoreFromVault;
import io.seedship.workers.vault.SeedMethod;
import io.seedship.workers.vault.Vault;
import io.seedship.workers.vault.VaultBackupResult;
import io.seedship.workers.vault.VaultCatalogue;
import io.seedship.workers.vault.VaultListener;
import io.seedship.workers.vault.VaultProgress;
import io.seedship.workers.vault.VaultSettings;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The vault side of bench/vault-benchmark.sh (a program that prints figures, not a test): stages a source with the
 * backup engine, uploads the staged repository into an "import" container as the datacenter import does, copies the
 * seed into the vault, and later — one JVM per step, like {@code restic} runs one process per command — backs up
 * the changed source incrementally to the vault and restores the latest recovery point from it.
 *
 * <pre>
 * VaultBenchmark SOURCE WORK CONNECTION-STRING seed
 * VaultBenchmark SOURCE WORK CONNECTION-STRING incremental CHANGED-BYTES [--worker-has-backed-up]
 * VaultBenchmark SOURCE WORK CONNECTION-STRING restore [TARGET]
 * </pre>
 *
 * CONNECTION-STRING {@code -} reads it from {@code SEEDSHIP_BLOB_CONNECTION_STRING} (a real account key does not
 * belong on a command line). The catalogue is in memory; between the JVMs its protection and recovery points are
 * kept in {@code WORK/vault-bench-catalogue.properties} and recorded again before the clock starts (what a database
 * lookup gives a worker). Each step prints one line per figure, {@code name key=value ...}; seconds are measured
 * inside the JVM (JIT cold) and leave out the JVM's own start-up, printed as {@code jvm-start-s}. The seed copy's
 * include building the Vault; the incremental's and the restore's start after it, as in an idle worker that built
 * its Vault when it started, and its cold cost is printed as {@code client-s} (the script also times the whole
 * process), as is its start-up self-test ({@link SelfTest}, run by every worker before it takes work). The key derivation
 * of opening the repository is always inside. With {@code --worker-has-backed-up} the
 * incremental runs in a JVM that has, before the clock, network-seeded and incrementally backed up a small protection
 * of its own ({@value #WARM_UP}, synthetic data): a worker is a long-running process, and one that has backed up before
 * has its JIT compilations done, which otherwise take about half the CPU of a fresh JVM's first incremental.
 */
public final class VaultBenchmark {

  static final String PROTECTION = "bench-vault";
  static final String WARM_UP = "bench-warm-up";
  static final String IMPORT_CONTAINER = "import-bench";
  static final String VAULT_CONTAINER = "seedship-vault";
  private static final String STATE = "vault-bench-catalogue.properties";

  private final Path source;
  private final Path work;
  private final String connectionString;
  private final VaultCatalogue catalogue = new InMemoryVaultCatalogue();
  private final Map<String, Long> growthByKind = new TreeMap<>();

  private VaultBenchmark(Path source, Path work, String connectionString) {
    this.source = source.toAbsolutePath().normalize();
    this.work = work.toAbsolutePath().normalize();
    this.connectionString = connectionString;
  }

  public static void main(String[] args) throws Exception {
    HeapWatch.start();
    // The worker's and the command line's logging (Azure clients at WARN: at DEBUG they print request headers).
    System.setProperty("logback.configurationFile", "seedship-cli-logback.xml");
    if (args.length < 4) {
      System.err.println("usage: VaultBenchmark SOURCE WORK CONNECTION-STRING|- seed | incremental CHANGED-BYTES | restore [TARGET]");
      System.exit(2);
    }
    String connection = args[2].equals("-") ? System.getenv("SEEDSHIP_BLOB_CONNECTION_STRING") : args[2];
    if (connection == null || connection.isBlank()) {
      System.err.println("no connection string: give it, or '-' with SEEDSHIP_BLOB_CONNECTION_STRING set");
      System.exit(2);
    }
    VaultBenchmark bench = new VaultBenchmark(Path.of(args[0]), Path.of(args[1]), connection);
    double jvmStart = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
    switch (args[3]) {
      case "seed" -> bench.seed(jvmStart);
      case "incremental" -> {
        if (args.length < 5) {
          throw new IllegalArgumentException("incremental needs the bytes the change step changed");
        }
        bench.incremental(Long.parseLong(args[4]), args.length > 5 && args[5].equals("--worker-has-backed-up"), jvmStart);
      }
      case "restore" -> bench.restore(args.length > 4 ? Path.of(args[4]) : bench.work.resolve("vault-restore"), jvmStart);
      default -> throw new IllegalArgumentException("step must be seed, incremental or restore");
    }
    System.exit(0); // the blob client's and the vault's threads are daemons, but do not wait for any other
  }

  private VaultSettings settings() {
    return VaultSettings.of(connectionString, VAULT_CONTAINER, work.resolve("keys"), work.resolve("vault-cache"), null);
  }

  // (a) staging, (b) import upload, (c) seed copy.
  private void seed(double jvmStart) throws IOException {
    long sourceBytes = sizeOf(source);
    Path staging = work.resolve("staging");

    long start = System.nanoTime();
    StagedBackup staged = new StageBackup(StagingSettings.defaults(settings().repositoryKeyDirectory()))
        .stage(PROTECTION, source, staging, ProgressListener.NONE);
    double stageSeconds = seconds(start);
    Path repository = StagingLayout.repositoryFor(staging, PROTECTION);
    System.out.printf(Locale.ROOT, "vault-stage seconds=%.2f mbps=%.1f source-bytes=%d staged-bytes=%d already=%s jvm-start-s=%.2f%n",
        stageSeconds, sourceBytes / 1e6 / stageSeconds, sourceBytes, staged.stagedBytes(), staged.alreadyStaged(), jvmStart);

    BlobServiceClient service = BlobClients.fromConnectionString(connectionString);
    start = System.nanoTime();
    BlobContainerClient imported = service.getBlobContainerClient(IMPORT_CONTAINER);
    imported.createIfNotExists();
    ChecksummedUpload upload = new ChecksummedUpload(imported); // as LocalDatacenter imports a drive: one block at a time
    long uploaded = 0;
    int blobs = 0;
    for (Map.Entry<String, Path> file : stagedFiles(repository).entrySet()) {
      UploadResult result = upload.upload(file.getValue(), file.getKey());
      uploaded += result.bytes();
      blobs++;
    }
    double uploadSeconds = seconds(start);
    System.out.printf(Locale.ROOT, "vault-import-upload seconds=%.2f mbps=%.1f bytes=%d blobs=%d%n", uploadSeconds,
        uploaded / 1e6 / uploadSeconds, uploaded, blobs);

    PhaseClock clock = new PhaseClock();
    start = System.nanoTime();
    CopySeedIntoVault.Result copy;
    try (Vault vault = new Vault(settings(), catalogue)) {
      copy = new CopySeedIntoVault(vault).copy(new CopySeedIntoVault.Request(PROTECTION, "devstoreaccount1", IMPORT_CONTAINER), clock);
    }
    double copySeconds = seconds(start);
    double verify = clock.secondsOf(VaultProgress.Phase.VERIFYING);
    System.out.printf(Locale.ROOT, "vault-seed-copy seconds=%.2f mbps=%.1f bytes=%d method=%s server-side=%d streamed=%d skipped=%d "
            + "bytes-streamed=%d chunks-verified=%d verify-s=%.2f copy-s=%.2f already=%s %s%n", copySeconds,
        copy.bytes() / 1e6 / copySeconds, copy.bytes(), copy.copyMethod(), copy.blobsServerSide(), copy.blobsStreamed(),
        copy.blobsSkipped(), copy.bytesStreamed(), copy.chunksVerified(), verify, clock.secondsOf(VaultProgress.Phase.COPYING),
        copy.alreadyDone(), HeapWatch.fields());
    saveCatalogue();
    vaultGrowth(service.getBlobContainerClient(VAULT_CONTAINER)); // remembers the vault's blobs for the incremental's growth
  }

  /**
   * Before the clock: network seeding and an incremental of another protection (48 files of 64 KiB and two of 12 MiB,
   * random, changed in place as the benchmark's data set is), in this JVM and with this Vault, as a worker that has
   * backed up before. Returns its seconds.
   */
  private double backUpAnotherProtection(Vault vault) throws IOException {
    long start = System.nanoTime();
    Path other = work.resolve("warm-up-source");
    FileTrees.deleteTree(other);
    Files.createDirectories(other);
    java.util.Random random = new java.util.Random(5);
    for (int i = 0; i < 50; i++) {
      byte[] bytes = new byte[i < 48 ? 64 << 10 : 12 << 20];
      random.nextBytes(bytes);
      Files.write(other.resolve("f" + i + ".bin"), bytes);
    }
    new BackUpToVault(vault).run(new BackUpToVault.Request(WARM_UP, other, null, true), VaultListener.NONE);
    io.seedship.workers.bench.BackupBenchmark.changeOnePercent(other);
    new BackUpToVault(vault).run(new BackUpToVault.Request(WARM_UP, other, null, false), VaultListener.NONE);
    return seconds(start);
  }

  // (d) the incremental after the change.
  private void incremental(long changedBytes, boolean workerHasBackedUp, double jvmStart) throws IOException {
    loadCatalogue();
    RequestTimer requests = new RequestTimer();
    // An idle worker built its Vault (blob client, container check) when it started, not when the task arrived: so
    // is it built here before the clock starts; its cold cost is printed as client-s.
    long built = System.nanoTime();
    try (Vault vault = new Vault(settings(), catalogue, BlobClients.fromConnectionString(connectionString, requests), null)) {
      double clientSeconds = seconds(built);
      // A worker runs its self-test when it starts (WorkerCommand), before it takes work: so it runs here.
      double selfTestSeconds = selfTest();
      double warmUpSeconds = workerHasBackedUp ? backUpAnotherProtection(vault) : 0;
      requests.reset();
      PhaseClock clock = new PhaseClock();
      requests.attributeTo(clock::currentStep);
      long cpuBefore = processCpuNanos();
      long start = System.nanoTime();
      VaultBackupResult result = new BackUpToVault(vault).run(new BackUpToVault.Request(PROTECTION, source, null, false), clock);
      double seconds = seconds(start);
      double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
      clock.end();
      // The engine reports once more when its backup into the cache ends: from there on it is upload and commit.
      double intoCache = clock.lastReportOf(VaultProgress.Phase.BACKING_UP, start);
      String requestFigures = requests.summary();
      long vaultAdded = vaultGrowth(vault.container());
      System.out.printf(Locale.ROOT, "vault-incremental seconds=%.2f changed-bytes=%d bytes-uploaded=%d ratio=%.3f bytes-sent=%d "
              + "vault-growth=%d read-bytes=%d packs=%d point=%s backup-s=%.2f upload-commit-s=%.2f client-s=%.2f jvm-start-s=%.2f "
              + "cpu-s=%.2f self-test-s=%.2f worker-warm-up-s=%.2f %s%n", seconds, changedBytes, result.bytesUploaded(), (double) result.bytesUploaded() / changedBytes,
          result.bytesSent(), vaultAdded, result.changedBytes(), result.packsUploaded(), result.recoveryPoint().id(), intoCache,
          seconds - intoCache, clientSeconds, jvmStart, cpuSeconds, selfTestSeconds, warmUpSeconds,
          HeapWatch.fields());
      System.out.println("vault-incremental-steps " + clock.steps());
      StringBuilder kinds = new StringBuilder();
      growthByKind.forEach((kind, bytes) -> kinds.append(' ').append(kind).append('=').append(bytes));
      System.out.println("vault-incremental-growth" + kinds);
      System.out.println("vault-incremental-requests " + requestFigures);
    }
    saveCatalogue();
  }

  // (e) the restore of the latest recovery point, then the check.
  private void restore(Path target, double jvmStart) throws IOException {
    loadCatalogue();
    long built = System.nanoTime();
    try (Vault vault = new Vault(settings(), catalogue)) {
      double clientSeconds = seconds(built);
      PhaseClock clock = new PhaseClock();
      long start = System.nanoTime();
      RestoreFromVault.Result result = new RestoreFromVault(vault).restore(PROTECTION, "latest", "", target, clock);
      double seconds = seconds(start);
      // SYNCING is reported first, RESTORING once the cache is synced and the repository open, DONE at the end.
      double open = clock.lastReportOf(VaultProgress.Phase.SYNCING, start) + clock.secondsOf(VaultProgress.Phase.SYNCING);
      String check = difference(source, target);
      System.out.printf(Locale.ROOT, "vault-restore seconds=%.2f mbps=%.1f bytes=%d files=%d point=%s check=%s open-s=%.2f "
              + "client-s=%.2f jvm-start-s=%.2f %s%n", seconds, result.restore().bytes() / 1e6 / seconds,
          result.restore().bytes(), result.restore().files(), result.recoveryPoint() == null ? "-" : result.recoveryPoint().id(),
          check == null ? "identical" : "DIFFERENT", open, clientSeconds, jvmStart, HeapWatch.fields());
      if (check != null) {
        System.err.println("restore differs from the source: " + check);
      }
    }
  }

  /** The staged files that travel on the drives (the repository's lock and temporary files left out), by relative name. */
  private static Map<String, Path> stagedFiles(Path repository) {
    Map<String, Path> files = new TreeMap<>();
    StagedFiles.of(repository).forEach(name -> files.put(name, repository.resolve(name)));
    return files;
  }


  /**
   * Bytes of the blobs under the protection's prefix that the last call did not see (the names it saw are kept in
   * {@code WORK/vault-bench-blobs.txt}): listed after the step, so that no listing warms the client before its clock.
   */
  private long vaultGrowth(BlobContainerClient container) throws IOException {
    Path seen = work.resolve("vault-bench-blobs.txt");
    java.util.Set<String> before = Files.exists(seen) ? new java.util.HashSet<>(Files.readAllLines(seen)) : java.util.Set.of();
    long added = 0;
    growthByKind.clear();
    List<String> names = new ArrayList<>();
    for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(PROTECTION + "/"), null)) {
      names.add(item.getName());
      if (!before.contains(item.getName())) {
        added += item.getProperties().getContentLength();
        String kind = item.getName().substring(PROTECTION.length() + 1).split("/")[0];
        growthByKind.merge(kind, item.getProperties().getContentLength(), Long::sum);
      }
    }
    Files.write(seen, names);
    return added;
  }

  /**
   * Null when both trees hold the same names with the same kinds, file bytes and link targets; else the first
   * difference.
   */
  static String difference(Path expected, Path actual) throws IOException {
    Map<String, Path> left = entries(expected);
    Map<String, Path> right = entries(actual);
    if (!left.keySet().equals(right.keySet())) {
      List<String> missing = new ArrayList<>(left.keySet());
      missing.removeAll(right.keySet());
      List<String> extra = new ArrayList<>(right.keySet());
      extra.removeAll(left.keySet());
      return "missing " + missing.subList(0, Math.min(5, missing.size())) + ", extra " + extra.subList(0, Math.min(5, extra.size()));
    }
    for (Map.Entry<String, Path> entry : left.entrySet()) {
      Path a = entry.getValue();
      Path b = right.get(entry.getKey());
      if (Files.isSymbolicLink(a) || Files.isSymbolicLink(b)) {
        if (!Files.isSymbolicLink(a) || !Files.isSymbolicLink(b) || !Files.readSymbolicLink(a).equals(Files.readSymbolicLink(b))) {
          return "link " + entry.getKey();
        }
      } else if (Files.isDirectory(a, LinkOption.NOFOLLOW_LINKS) != Files.isDirectory(b, LinkOption.NOFOLLOW_LINKS)) {
        return "kind " + entry.getKey();
      } else if (Files.isRegularFile(a, LinkOption.NOFOLLOW_LINKS) && Files.mismatch(a, b) != -1) {
        return "content " + entry.getKey();
      }
    }
    return null;
  }

  private static Map<String, Path> entries(Path root) throws IOException {
    Map<String, Path> entries = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.forEach(p -> entries.put(root.relativize(p).toString(), p));
    }
    return entries;
  }

  private void saveCatalogue() throws IOException {
    Properties state = new Properties();
    Protection p = catalogue.protection(PROTECTION).orElseThrow();
    state.setProperty("protection.source", p.protectedSource());
    state.setProperty("protection.container", p.vaultContainer());
    state.setProperty("protection.prefix", p.blobPrefix());
    state.setProperty("protection.repository", p.repositoryId());
    state.setProperty("protection.method", p.seedMethod().name());
    state.setProperty("protection.created", p.createdAt().toString());
    List<RecoveryPoint> points = catalogue.recoveryPoints(PROTECTION);
    state.setProperty("points", Integer.toString(points.size()));
    for (RecoveryPoint r : points) {
      String k = "point." + r.number() + ".";
      state.setProperty(k + "snapshot", r.snapshotId());
      state.setProperty(k + "parent", r.parentSnapshotId() == null ? "" : r.parentSnapshotId());
      state.setProperty(k + "kind", r.kind().name());
      state.setProperty(k + "request", r.requestId() == null ? "" : r.requestId());
      state.setProperty(k + "taken", r.takenAt().toString());
      state.setProperty(k + "files", Long.toString(r.files()));
      state.setProperty(k + "bytes", Long.toString(r.bytes()));
      state.setProperty(k + "changed", r.changedBytes() == null ? "" : r.changedBytes().toString());
      state.setProperty(k + "uploaded", r.bytesUploaded() == null ? "" : r.bytesUploaded().toString());
    }
    try (Writer out = Files.newBufferedWriter(work.resolve(STATE))) {
      state.store(out, "VaultBenchmark's in-memory catalogue between its JVMs");
    }
  }

  private void loadCatalogue() throws IOException {
    Properties state = new Properties();
    try (Reader in = Files.newBufferedReader(work.resolve(STATE))) {
      state.load(in);
    }
    catalogue.ensureProtection(new Protection(PROTECTION, state.getProperty("protection.source"), state.getProperty("protection.container"),
        state.getProperty("protection.prefix"), state.getProperty("protection.repository"),
        SeedMethod.valueOf(state.getProperty("protection.method")), Instant.parse(state.getProperty("protection.created"))));
    int count = Integer.parseInt(state.getProperty("points"));
    for (int n = 1; n <= count; n++) {
      String k = "point." + n + ".";
      catalogue.recordRecoveryPoint(PROTECTION, new NewRecoveryPoint(state.getProperty(k + "snapshot"), blankToNull(state.getProperty(k + "parent")),
          RecoveryPointKind.valueOf(state.getProperty(k + "kind")), blankToNull(state.getProperty(k + "request")),
          Instant.parse(state.getProperty(k + "taken")), Long.parseLong(state.getProperty(k + "files")),
          Long.parseLong(state.getProperty(k + "bytes")), longOrNull(state.getProperty(k + "changed")),
          longOrNull(state.getProperty(k + "uploaded"))));
    }
  }

  /** The worker's start-up self-test, in seconds; -1 under older classes (BENCH_COMPARE_CLASSES) that have none. */
  private double selfTest() {
    try {
      Class.forName("io.seedship.workers.repository.SelfTest");
    } catch (ClassNotFoundException olderClasses) {
      return -1;
    }
    return SelfTest.run(work).toMillis() / 1000.0;
  }

  /** CPU time of this process so far (all its threads: the JIT compilers and the garbage collector too). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static String blankToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static Long longOrNull(String value) {
    return value == null || value.isEmpty() ? null : Long.valueOf(value);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static long sizeOf(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    }
  }


  /**
   * Time spent in each phase of a vault operation, from its listener: a phase lasts from its first report to the first
   * report of another phase (or the end). The seed copy reports VERIFYING once before its read-data verify and the next
   * report (the snapshots' COPYING or RECORDING) after it, so VERIFYING's time is the verify's.
   */
  private static final class PhaseClock implements VaultListener {
    private final Map<VaultProgress.Phase, Long> nanos = new TreeMap<>();
    private final Map<VaultProgress.Phase, Long> last = new TreeMap<>();
    private VaultProgress.Phase current;
    private long since;
    private final Map<String, Long> stepNanos = new java.util.LinkedHashMap<>();
    private String step;
    private long stepSince;

    @Override
    public synchronized void step(String name) {
      long now = System.nanoTime();
      if (step != null) {
        stepNanos.merge(step, now - stepSince, Long::sum);
      }
      step = name;
      stepSince = now;
    }

    synchronized String currentStep() {
      return step;
    }

    synchronized void end() {
      step(null);
    }

    /** {@code name=seconds ...} of the operation's steps, in their order. */
    synchronized String steps() {
      StringBuilder line = new StringBuilder();
      stepNanos.forEach((name, nanos) -> line.append(String.format(Locale.ROOT, "%s%s=%.2f", line.length() == 0 ? "" : " ", name,
          nanos / 1e9)));
      return line.toString();
    }

    @Override
    public synchronized void progress(VaultProgress progress) {
      long now = System.nanoTime();
      last.put(progress.phase(), now);
      if (progress.phase() != current) {
        if (current != null) {
          nanos.merge(current, now - since, Long::sum);
        }
        current = progress.phase();
        since = now;
      }
    }

    synchronized double secondsOf(VaultProgress.Phase phase) {
      return nanos.getOrDefault(phase, 0L) / 1e9;
    }

    /** Seconds from {@code start} to the last report of the phase (0 when it never reported). */
    synchronized double lastReportOf(VaultProgress.Phase phase, long start) {
      Long at = last.get(phase);
      return at == null ? 0 : (at - start) / 1e9;
    }
  }
}
