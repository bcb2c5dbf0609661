package io.seedship.workers.vault.cli;

import io.seedship.workers.Sizes;
import io.seedship.workers.certificates.jdbc.SimpleDataSource;
import io.seedship.workers.repository.BackupOptions;
import io.seedship.workers.repository.RepositoryException;
import io.seedship.workers.repository.VerifyReport;
import io.seedship.workers.vault.AuditRecord;
import io.seedship.workers.vault.BackUpToVault;
import io.seedship.workers.vault.CleanUpAfterSeed;
import io.seedship.workers.vault.CopyMode;
import io.seedship.workers.vault.CopySeedIntoVault;
import io.seedship.workers.vault.JdbcVaultCatalogue;
import io.seedship.workers.vault.RecoveryPoint;
import io.seedship.workers.vault.RestoreFromVault;
import io.seedship.workers.vault.Vault;
import io.seedship.workers.vault.VaultBackupResult;
import io.seedship.workers.vault.VaultException;
import io.seedship.workers.vault.VaultListener;
import io.seedship.workers.vault.VaultSettings;
import io.seedship.workers.vault.VerifyVault;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * {@code seedship vault ...}: the operators' view of the vault (docs/vault.md): recovery points, restore, verify, and
 * the vault steps of a seeding by hand (backup, seed copy, clean-up). Settings from the environment
 * ({@link VaultSettings#fromEnvironment}); the catalogue from {@code SEEDSHIP_DB_URL}, {@code SEEDSHIP_DB_USER},
 * {@code SEEDSHIP_DB_PASSWORD}. Connection strings and keys are never printed.
 */
public final class VaultCommand {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int WARNINGS = 3;

  private static final String USAGE_TEXT = """
      usage: seedship vault <command> --seeding ID [options]
        snapshots  --seeding ID                 the recovery points (catalogue) and what the vault holds
        restore    --seeding ID --target DIR [--point rp-N|N|SNAPSHOT-ID|latest] [--path SUB/PATH]
        verify     --seeding ID [--read-data]   check the vault's repository; --read-data reads every pack
        backup     --seeding ID --source DIR [--network-seed]   incremental backup (or the first one, over the network)
        seed-copy  --seeding ID --container NAME [--storage-account NAME] [--stream]   copy the imported seed into the vault
        cleanup    --seeding ID --actor NAME [--container NAME [--storage-account NAME]] [--staging DIR] [--erase-drive-keys]
                   after the seed copy, each step when given: delete the import container's copy, the staged backup,
                   crypto-erase the drive keys of the seeding's import jobs (the drives can never be read again); audited
        audit      --seeding ID                 the clean-up's audit trail
      tuning: --pack-size 64M, --workers N, --block-size 4M, --progress-interval MS, --key-dir DIR, --cache DIR
      environment: SEEDSHIP_VAULT_CONNECTION_STRING (or SEEDSHIP_BLOB_CONNECTION_STRING), SEEDSHIP_IMPORT_CONNECTION_STRING,
        SEEDSHIP_VAULT_CONTAINER (seedship-vault), SEEDSHIP_KEY_DIR (~/.seedship/keys), SEEDSHIP_VAULT_CACHE
        (~/.seedship/vault-cache), SEEDSHIP_DB_URL, SEEDSHIP_DB_USER, SEEDSHIP_DB_PASSWORD
      exit codes: 0 ok, 1 failed or damaged, 2 usage, 3 backup done with warnings
      """;

  private static final Set<String> FLAGS = Set.of("--read-data", "--network-seed", "--stream", "--quiet", "--erase-drive-keys");
  private static final Set<String> OPTIONS = Set.of("--seeding", "--target", "--point", "--path", "--source", "--container",
      "--storage-account", "--staging", "--actor", "--pack-size", "--workers", "--block-size", "--progress-interval", "--key-dir",
      "--cache");

  private final PrintStream out;
  private final PrintStream err;
  private final Function<String, String> env;
  private final boolean terminal;

  private VaultCommand(PrintStream out, PrintStream err, Function<String, String> env, boolean terminal) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.terminal = terminal;
  }

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      // the command line's logging: the HTTP and Azure clients only warn (at DEBUG they print headers with credentials)
      System.setProperty("logback.configurationFile", "seedship-cli-logback.xml");
    }
    System.exit(run(args));
  }

  /** Runs {@code args} (what follows {@code seedship vault}) with the process's streams and environment. */
  public static int run(String[] args) {
    return run(args, System.out, System.err, System::getenv);
  }

  public static int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env) {
    return new VaultCommand(out, err, env, System.console() != null).execute(args);
  }

  private int execute(String[] args) {
    Arguments line;
    try {
      line = Arguments.parse(args, FLAGS, OPTIONS);
      if (line.command.equals("help") || line.command.equals("--help") || line.command.equals("-h")) {
        out.print(USAGE_TEXT);
        return OK;
      }
      if (!Set.of("snapshots", "restore", "verify", "backup", "seed-copy", "cleanup", "audit").contains(line.command)) {
        throw new UsageException("Unknown vault command '" + line.command + "'.");
      }
    } catch (UsageException e) {
      err.println(e.getMessage());
      err.print(USAGE_TEXT);
      return USAGE;
    }
    try (Vault vault = open(line)) {
      return switch (line.command) {
        case "snapshots" -> snapshots(vault, line);
        case "restore" -> restore(vault, line);
        case "verify" -> verify(vault, line);
        case "backup" -> backup(vault, line);
        case "seed-copy" -> seedCopy(vault, line);
        case "cleanup" -> cleanUp(vault, line);
        default -> audit(vault, line);
      };
    } catch (UsageException e) {
      err.println(e.getMessage());
      err.print(USAGE_TEXT);
      return USAGE;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return USAGE;
    } catch (VaultException | RepositoryException | UncheckedIOException | IllegalStateException e) {
      err.println("error: " + e.getMessage());
      return FAILED;
    } catch (com.azure.storage.blob.models.BlobStorageException e) {
      err.println("error: the storage service answered " + e.getErrorCode() + " (HTTP " + e.getStatusCode() + "): check the account "
          + "and the network, then run again.");
      return FAILED;
    }
  }

  private Vault open(Arguments line) {
    String url = env.apply("SEEDSHIP_DB_URL");
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("Set SEEDSHIP_DB_URL (and SEEDSHIP_DB_USER, SEEDSHIP_DB_PASSWORD) to Seedship's database: "
          + "the vault's catalogue is there.");
    }
    DataSource dataSource = new SimpleDataSource(url, or(env.apply("SEEDSHIP_DB_USER"), "postgres"), or(env.apply("SEEDSHIP_DB_PASSWORD"), ""));
    VaultSettings settings = VaultSettings.fromEnvironment(name -> switch (name) {
      case "SEEDSHIP_KEY_DIR" -> line.option("--key-dir", env.apply(name));
      case "SEEDSHIP_VAULT_CACHE" -> line.option("--cache", env.apply(name));
      default -> env.apply(name);
    }, dataSource);
    BackupOptions options = settings.backupOptions()
        .withPackTargetSize(size(line.option("--pack-size", "64M")))
        .withProgressInterval(Duration.ofMillis(Long.parseLong(line.option("--progress-interval", terminal ? "500" : "5000"))));
    if (line.option("--workers", null) != null) {
      options = options.withWorkers(Integer.parseInt(line.option("--workers", null)));
    }
    settings = settings.withBackupOptions(options).withUploads((int) size(line.option("--block-size", "4M")), settings.parallelBlocks());
    if (line.flag("--stream")) {
      settings = settings.withCopyMode(CopyMode.STREAM);
    }
    return new Vault(settings, new JdbcVaultCatalogue(dataSource));
  }

  private int snapshots(Vault vault, Arguments line) {
    String id = line.required("--seeding");
    DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    List<RecoveryPoint> points = vault.catalogue().recoveryPoints(id);
    out.printf("%-6s  %-12s  %-32s  %-19s  %10s  %12s  %12s  %12s%n", "point", "kind", "snapshot", "time", "files", "size", "changed",
        "uploaded");
    for (RecoveryPoint p : points) {
      out.printf(Locale.ROOT, "%-6s  %-12s  %-32s  %-19s  %10d  %12s  %12s  %12s%n", p.id(), p.kind(), p.snapshotId(),
          format.format(p.takenAt()), p.files(), Sizes.human(p.bytes()), p.changedBytes() == null ? "-" : Sizes.human(p.changedBytes()),
          p.bytesUploaded() == null ? "-" : Sizes.human(p.bytesUploaded()));
    }
    out.println(points.size() + " recovery point(s) of protection " + id + (vault.catalogue().protection(id)
        .map(p -> " (" + p.seedMethod().code() + " seed, source " + p.protectedSource() + ", vault " + p.vaultContainer() + "/"
            + p.blobPrefix() + ")").orElse(": not in the catalogue")));
    return OK;
  }

  private int restore(Vault vault, Arguments line) {
    String id = line.required("--seeding");
    Path target = Path.of(line.required("--target"));
    RestoreFromVault.Result result = new RestoreFromVault(vault).restore(id, line.option("--point", "latest"), line.option("--path", ""),
        target, progress(line));
    double seconds = Math.max(0.001, result.restore().duration().toMillis() / 1000.0);
    out.printf(Locale.ROOT, "restored %s (snapshot %s) of protection %s from the vault to %s: %d files, %d folders, %d links, %s in "
            + "%.1f s (%.1f MB/s)%n", result.recoveryPoint() == null ? "a snapshot" : result.recoveryPoint().id(),
        result.snapshotId().substring(0, 8), id, target, result.restore().files(), result.restore().directories(),
        result.restore().symlinks(), Sizes.human(result.restore().bytes()), seconds, result.restore().bytes() / 1e6 / seconds);
    return OK;
  }

  private int verify(Vault vault, Arguments line) {
    String id = line.required("--seeding");
    VerifyReport report = new VerifyVault(vault).verify(id, line.flag("--read-data"), progress(line));
    report.notes().forEach(note -> out.println("note: " + note));
    for (VerifyReport.Problem problem : report.problems()) {
      err.println("DAMAGED " + problem.kind() + ": " + problem.message());
      problem.affectedFiles().forEach(file -> err.println("    affects " + file));
    }
    out.printf(Locale.ROOT, "%s: protection %s in the vault, %d packs, %d snapshots%s checked, %d problems%n",
        report.ok() ? "ok" : "DAMAGED", id, report.packsChecked(), report.snapshotsChecked(),
        report.dataRead() ? ", " + report.chunksChecked() + " chunks read" : "", report.problems().size());
    return report.ok() ? OK : FAILED;
  }

  private int backup(Vault vault, Arguments line) {
    String id = line.required("--seeding");
    Path source = Path.of(line.required("--source"));
    VaultBackupResult result = new BackUpToVault(vault).run(new BackUpToVault.Request(id, source, null, line.flag("--network-seed")),
        progress(line));
    out.printf(Locale.ROOT, "%s of protection %s: %s changed, %s uploaded (%s sent) in %d packs, %.1f s%n",
        result.recoveryPoint().id(), id, Sizes.human(result.changedBytes()), Sizes.human(result.bytesUploaded()),
        Sizes.human(result.bytesSent()), result.packsUploaded(), result.duration().toMillis() / 1000.0);
    result.warnings().forEach(w -> err.println("warning: " + w));
    return result.warnings().isEmpty() ? OK : WARNINGS;
  }

  private int seedCopy(Vault vault, Arguments line) {
    String id = line.required("--seeding");
    CopySeedIntoVault.Result result = new CopySeedIntoVault(vault).copy(new CopySeedIntoVault.Request(id,
        line.option("--storage-account", "-"), line.required("--container")), progress(line));
    if (result.alreadyDone()) {
      out.println("the seed of protection " + id + " is in the vault already: " + result.recoveryPoint().id());
      return OK;
    }
    double seconds = Math.max(0.001, result.duration().toMillis() / 1000.0);
    out.printf(Locale.ROOT, "seed of protection %s copied into the vault as %s: %d blobs server-side, %d streamed, %d already there, "
            + "%s (%s through this worker), %d chunks verified, %.1f s (%.1f MB/s), copy: %s%n", id, result.recoveryPoint().id(),
        result.blobsServerSide(), result.blobsStreamed(), result.blobsSkipped(), Sizes.human(result.bytes()),
        Sizes.human(result.bytesStreamed()), result.chunksVerified(), seconds, result.bytes() / 1e6 / seconds, result.copyMethod());
    return OK;
  }

  private int cleanUp(Vault vault, Arguments line) {
    String id = line.required("--seeding");
    String staging = line.option("--staging", null);
    String container = line.option("--container", null);
    if (staging == null && container == null && !line.flag("--erase-drive-keys")) {
      throw new UsageException("Say what to clean up: --container NAME, --staging DIR, --erase-drive-keys (any of them).");
    }
    List<AuditRecord> records = new CleanUpAfterSeed(vault).cleanUp(new CleanUpAfterSeed.Request(id, line.option("--storage-account", "-"),
        container, staging == null ? null : Path.of(staging), container != null, staging != null, line.flag("--erase-drive-keys"),
        line.required("--actor")));
    records.forEach(r -> out.println(r.action() + " " + r.target() + ": " + r.detail()));
    out.println(records.size() + " audit record(s) written");
    return OK;
  }

  private int audit(Vault vault, Arguments line) {
    String id = line.required("--seeding");
    List<AuditRecord> records = vault.catalogue().auditTrail(id);
    for (AuditRecord r : records) {
      out.println(r.performedAt() + "  " + r.actor() + "  " + r.action() + "  " + r.target() + "  " + r.detail());
    }
    out.println(records.size() + " audit record(s) of protection " + id);
    return OK;
  }

  private VaultListener progress(Arguments line) {
    if (line.flag("--quiet")) {
      return VaultListener.NONE;
    }
    return new ProgressLine(out, terminal, Duration.ofMillis(Long.parseLong(line.option("--progress-interval", terminal ? "500" : "5000"))));
  }

  private static long size(String text) {
    try {
      return Sizes.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage() + ".");
    }
  }

  private static String or(String value, String fallback) {
    return value == null ? fallback : value;
  }

  /** {@code command --option value --flag}; unknown arguments are errors. */
  private static final class Arguments {
    final String command;
    final Map<String, String> options = new HashMap<>();
    final List<String> flags = new ArrayList<>();

    private Arguments(String command) {
      this.command = command;
    }

    static Arguments parse(String[] args, Set<String> knownFlags, Set<String> knownOptions) {
      if (args.length == 0) {
        throw new UsageException("No vault command given.");
      }
      Arguments parsed = new Arguments(args[0]);
      for (int i = 1; i < args.length; i++) {
        if (knownFlags.contains(args[i])) {
          parsed.flags.add(args[i]);
        } else if (knownOptions.contains(args[i])) {
          if (i + 1 >= args.length) {
            throw new UsageException("Option " + args[i] + " needs a value.");
          }
          parsed.options.put(args[i], args[++i]);
        } else {
          throw new UsageException("Unknown argument '" + args[i] + "'.");
        }
      }
      return parsed;
    }

    boolean flag(String name) {
      return flags.contains(name);
    }

    String option(String name, String fallback) {
      return options.getOrDefault(name, fallback);
    }

    String required(String name) {
      String value = options.get(name);
      if (value == null) {
        throw new UsageException("Option " + name + " is required for 'vault " + command + "'.");
      }
      return value;
    }
  }

  /** A mistake in the command line: usage and exit 2. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
