package io.seedship.workers.cli;

import io.seedship.workers.Sizes;
import io.seedship.workers.certificates.cli.CertGenCommand;
import io.seedship.workers.diskprep.cli.DiskPrepCommand;
import io.seedship.workers.vault.cli.VaultCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import io.seedship.workers.worker.WorkerCommand;
import java.util.Arrays;

import io.seedship.workers.repository.Backup;
import io.seedship.workers.repository.BackupOptions;
import io.seedship.workers.repository.BackupResult;
import io.seedship.workers.repository.KeyDerivation;
import io.seedship.workers.repository.Repository;
import io.seedship.workers.repository.RepositoryException;
import io.seedship.workers.repository.RepositorySecret;
import io.seedship.workers.repository.Restore;
import io.seedship.workers.repository.RestoreResult;
import io.seedship.workers.repository.Snapshot;
import io.seedship.workers.repository.Verify;
import io.seedship.workers.repository.VerifyReport;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code seedship backup|restore|verify|snapshots|keygen}: the operators' command line. */
public final class SeedshipCli {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int WARNINGS = 3;

  private static final String USAGE_TEXT = """
      usage: seedship <command> [options]
        backup    --repo DIR --source DIR [--tag TAG]... [--pack-size 64M] [--level 3] [--no-parent]
                  (creates the repository when DIR holds none)
        restore   --repo DIR --target DIR [--snapshot ID|latest] [--path SUB/PATH]
        verify    --repo DIR [--read-data]
        snapshots --repo DIR
        keygen    --key-file FILE        (writes a new random key file, mode 0600)
        certgen   CreateNewApplication SubscriptionId:<id> [ResourceId:<id>] [OutputFolder:<dir>]
        certgen   AddRegistryEntries SubscriptionId:<id> xmlfilepath:<path> storageaccountname:<name>
        diskprep  s:<staging> [p:<publishsettings>] [k:<key-dir>]   (encrypted copy onto drives, asks for each drive)
        diskprep  u: [s:<staging> p:<publishsettings>] [k:<key-dir>] (shipping details of the import job, or its state)
        vault     snapshots|restore|verify|backup|seed-copy|cleanup|audit --seeding ID ...  (the vault; seedship vault help)
        worker    (a copy computer's worker: SEEDSHIP_ENGINE_URL, SEEDSHIP_WORKER_USER/PASSWORD, SEEDSHIP_KEY_DIR)
      the key: --key-file FILE, or the passphrase in $SEEDSHIP_PASSWORD, or typed at the prompt.
      exit codes: 0 ok, 1 failed, 2 usage, 3 backup done with warnings (files changed/vanished/unreadable)
      """;

  private static final Set<String> FLAGS = Set.of("--read-data", "--no-parent", "--quiet");
  private static final Set<String> OPTIONS = Set.of("--repo", "--source", "--target", "--snapshot", "--path", "--key-file",
      "--tag", "--pack-size", "--level", "--workers", "--progress-interval");

  private final PrintStream out;
  private final PrintStream err;
  private final Console console;

  SeedshipCli(PrintStream out, PrintStream err, Console console) {
    this.out = out;
    this.err = err;
    this.console = console;
  }

  public static void main(String[] args) {
    // before the first logger: the CLI's own logging, never DEBUG for the HTTP clients (their headers hold credentials)
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "seedship-cli-logback.xml");
    }
    System.exit(new SeedshipCli(System.out, System.err, System.console()).run(args));
  }

  int run(String[] args) {
    // these commands keep the argument syntax of the tools they stand in for (Name:value, s:<path>)
    if (args.length > 0 && args[0].equals("certgen")) {
      return CertGenCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
    }
    if (args.length > 0 && args[0].equals("diskprep")) {
      return DiskPrepCommand.run(Arrays.copyOfRange(args, 1, args.length),
          new BufferedReader(new InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)), out);
    }
    if (args.length > 0 && args[0].equals("vault")) {
      return VaultCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err, System::getenv);
    }
    if (args.length > 0 && args[0].equals("worker")) {
      return WorkerCommand.run(out, err, System::getenv);
    }
    try {
      CommandLine line = new CommandLine(args, FLAGS, OPTIONS);
      return switch (line.command()) {
        case "backup" -> backup(line);
        case "restore" -> restore(line);
        case "verify" -> verify(line);
        case "snapshots" -> snapshots(line);
        case "keygen" -> keygen(line);
        case "help", "--help", "-h" -> {
          out.print(USAGE_TEXT);
          yield OK;
        }
        default -> throw new CommandLine.UsageException("Unknown command '" + line.command() + "'.");
      };
    } catch (CommandLine.UsageException | NumberFormatException e) {
      err.println(e instanceof NumberFormatException ? "Not a number: " + e.getMessage() : e.getMessage());
      err.print(USAGE_TEXT);
      return USAGE;
    } catch (RepositoryException e) {
      err.println("error: " + e.getMessage());
      return FAILED;
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return FAILED;
    }
  }

  private int backup(CommandLine line) {
    Path repo = Path.of(line.required("--repo"));
    Path source = Path.of(line.required("--source"));
    RepositorySecret secret = secret(line);
    Repository repository = Repository.exists(repo) ? Repository.open(repo, secret) : init(repo, secret);
    BackupOptions options = BackupOptions.defaults()
        .withTags(line.all("--tag"))
        .withPackTargetSize(CommandLine.size(line.option("--pack-size", "64M")))
        .withCompressionLevel(Integer.parseInt(line.option("--level", "3")))
        .withWorkers(Integer.parseInt(line.option("--workers", Integer.toString(Runtime.getRuntime().availableProcessors()))))
        .withParent(!line.flag("--no-parent"))
        .withProgressInterval(Duration.ofMillis(Long.parseLong(line.option("--progress-interval", console != null ? "500" : "5000"))));
    BackupResult result = new Backup(repository, options).run(source,
        line.flag("--quiet") ? p -> { } : new ProgressPrinter(out, console != null));
    Snapshot snapshot = result.snapshot();
    out.printf(Locale.ROOT, "snapshot %s saved: %d files, %d folders, %d links, %s read, %s added in %d new packs%s, %.1f s%n",
        snapshot.id().hex(), snapshot.files(), snapshot.directories(), snapshot.symlinks(), Sizes.human(result.bytesRead()),
        Sizes.human(result.bytesAdded()), result.packsWritten(),
        result.recoveredPacks() > 0 ? " (" + result.recoveredPacks() + " packs of an interrupted run reused)" : "",
        result.duration().toMillis() / 1000.0);
    for (String warning : result.warnings()) {
      err.println("warning: " + warning);
    }
    return result.warnings().isEmpty() ? OK : WARNINGS;
  }

  private Repository init(Path repo, RepositorySecret secret) {
    Repository repository = Repository.init(repo, secret, KeyDerivation.DEFAULT);
    out.println("created repository " + repository.id() + " in " + repo);
    return repository;
  }

  private int restore(CommandLine line) {
    Repository repository = Repository.open(Path.of(line.required("--repo")), secret(line));
    Snapshot snapshot = repository.snapshot(line.option("--snapshot", "latest"));
    Path target = Path.of(line.required("--target"));
    RestoreResult result = new Restore(repository, Runtime.getRuntime().availableProcessors())
        .run(snapshot, line.option("--path", ""), target);
    out.printf(Locale.ROOT, "restored snapshot %s to %s: %d files, %d folders, %d links, %s in %.1f s%n",
        snapshot.id().shortHex(), target, result.files(), result.directories(), result.symlinks(), Sizes.human(result.bytes()),
        result.duration().toMillis() / 1000.0);
    return OK;
  }

  private int verify(CommandLine line) {
    Repository repository = Repository.open(Path.of(line.required("--repo")), secret(line));
    VerifyReport report = new Verify(repository, Runtime.getRuntime().availableProcessors()).run(line.flag("--read-data"));
    report.notes().forEach(note -> out.println("note: " + note));
    for (VerifyReport.Problem problem : report.problems()) {
      err.println("DAMAGED " + problem.kind() + ": " + problem.message());
      problem.affectedFiles().forEach(file -> err.println("    affects " + file));
    }
    out.printf(Locale.ROOT, "%s: %d packs, %d snapshots%s checked, %d problems%n", report.ok() ? "ok" : "DAMAGED",
        report.packsChecked(), report.snapshotsChecked(), report.dataRead() ? ", " + report.chunksChecked() + " chunks read" : "",
        report.problems().size());
    return report.ok() ? OK : FAILED;
  }

  private int snapshots(CommandLine line) {
    Repository repository = Repository.open(Path.of(line.required("--repo")), secret(line));
    DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    List<Snapshot> all = repository.snapshots();
    out.printf("%-32s  %-19s  %-12s  %10s  %12s  %s%n", "id", "time", "host", "files", "size", "source [tags]");
    for (Snapshot s : all) {
      out.printf(Locale.ROOT, "%-32s  %-19s  %-12s  %10d  %12s  %s %s%n", s.id().hex(), format.format(s.time()), s.host(),
          s.files(), Sizes.human(s.bytes()), s.source(), s.tags().isEmpty() ? "" : s.tags());
    }
    out.println(all.size() + " snapshot(s)");
    return OK;
  }

  private int keygen(CommandLine line) throws IOException {
    Path file = Path.of(line.required("--key-file"));
    RepositorySecret.generateKeyFile(file);
    out.println("wrote key file " + file + " (mode 0600). Keep a copy apart from the repository: without it the backup cannot be read.");
    return OK;
  }

  private RepositorySecret secret(CommandLine line) {
    String keyFile = line.option("--key-file", null);
    if (keyFile != null) {
      return RepositorySecret.ofKeyFile(Path.of(keyFile));
    }
    String fromEnvironment = System.getenv("SEEDSHIP_PASSWORD");
    if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
      return RepositorySecret.ofPassphrase(fromEnvironment.toCharArray());
    }
    if (console != null) {
      char[] typed = console.readPassword("repository passphrase: ");
      if (typed != null && typed.length > 0) {
        return RepositorySecret.ofPassphrase(typed);
      }
    }
    throw new CommandLine.UsageException("No key given: use --key-file FILE, set SEEDSHIP_PASSWORD, or run on a terminal to type the passphrase.");
  }
}
