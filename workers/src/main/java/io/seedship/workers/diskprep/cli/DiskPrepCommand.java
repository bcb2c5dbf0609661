package io.seedship.workers.diskprep.cli;

import io.seedship.seeding.PublishSettings;
import io.seedship.workers.diskprep.DiskPrepException;
import io.seedship.workers.diskprep.DiskPrepKeyStore;
import io.seedship.workers.diskprep.DiskPrepOutcome;
import io.seedship.workers.diskprep.DiskPrepRequest;
import io.seedship.workers.diskprep.DriveInspector;
import io.seedship.workers.diskprep.DriveRejectedException;
import io.seedship.workers.diskprep.ForeignDataException;
import io.seedship.workers.diskprep.KdfParameters;
import io.seedship.workers.diskprep.PrepareDrives;
import io.seedship.workers.diskprep.PreparedDrive;
import io.seedship.workers.diskprep.StagedRepository;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * {@code seedship diskprep s:<staging> [p:<publishsettings>] [k:<key-dir>]}, in the syntax of
 * {@code AzureOfflineBackupDiskPrep.exe}: pick the import job of the staging location, give drives one by
 * one (confirming formatting when one holds data), watch the progress bar; a full drive asks for the next.
 * Runs {@link PrepareDrives}, the same work as the {@code disk-prep-copy} task. The key store defaults to
 * {@code $SEEDSHIP_KEY_DIR}, else {@code ~/.seedship/keys}. Exit codes: 0 drives ready, 1 failed or stopped
 * before all files were on drives, 2 usage.
 */
public final class DiskPrepCommand {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private static final String USAGE_TEXT = """
      usage: seedship diskprep s:<staging location> [p:<publish-settings file>] [k:<key directory>]
             seedship diskprep u: [s:<staging location> p:<publish-settings file>] [k:<key directory>]
        u:  the shipping details of the import job (or its state once shipped)
        s:  the staging location the backup wrote (mounted on this copy computer)
        p:  the publish-settings file, needed when this is not the source computer
        k:  the key store (default $SEEDSHIP_KEY_DIR, else ~/.seedship/keys)
      """;

  private final BufferedReader in;
  private final PrintStream out;

  private DiskPrepCommand(BufferedReader in, PrintStream out) {
    this.in = in;
    this.out = out;
  }

  public static int run(String[] args, BufferedReader in, PrintStream out) {
    return run(args, in, out, System::getenv);
  }

  /** {@code u:} among the arguments: the shipping step ({@link ShippingCommand}) instead of the preparation. */
  public static int run(String[] args, BufferedReader in, PrintStream out, Function<String, String> env) {
    if (Arrays.asList(args).contains("u:")) {
      return new ShippingCommand(in, out, env, Clock.systemDefaultZone()).run(args, defaultKeyDirectory(env));
    }
    return new DiskPrepCommand(in, out).run(args);
  }

  private record Choice(StagedRepository staged, String importJob, String label) {
  }

  private int run(String[] args) {
    Path staging = null;
    Path publishSettings = null;
    Path keyDir = defaultKeyDirectory();
    for (String arg : args) {
      if (arg.startsWith("s:") && arg.length() > 2) {
        staging = Path.of(arg.substring(2));
      } else if (arg.startsWith("p:") && arg.length() > 2) {
        publishSettings = Path.of(arg.substring(2));
      } else if (arg.startsWith("k:") && arg.length() > 2) {
        keyDir = Path.of(arg.substring(2));
      } else if (!arg.equals("diskprep")) {
        out.println("Unknown argument '" + arg + "'.");
        out.print(USAGE_TEXT);
        return USAGE;
      }
    }
    if (staging == null) {
      out.println("The staging location is missing: give it as s:<folder>.");
      out.print(USAGE_TEXT);
      return USAGE;
    }
    try {
      if (publishSettings != null) {
        PublishSettings.Subscription settings = PrepareDrives.subscriptionOf(publishSettings);
        out.println("publish settings: subscription " + settings.name() + " (" + settings.id() + ", " + settings.cloud() + ")");
      }
      DiskPrepKeyStore keyStore = new DiskPrepKeyStore(keyDir);
      Choice choice = chooseImportJob(staging, keyStore);
      if (choice == null) {
        return FAILED;
      }
      return prepare(choice, staging, publishSettings, keyStore);
    } catch (DiskPrepException | IllegalArgumentException | UncheckedIOException e) {
      out.println();
      out.println("error: " + e.getMessage());
      return FAILED;
    } catch (IOException e) {
      out.println("error: reading the answers failed: " + e.getMessage());
      return FAILED;
    }
  }

  private Choice chooseImportJob(Path staging, DiskPrepKeyStore keyStore) throws IOException {
    List<StagedRepository> seedings = StagedRepository.findAll(staging);
    if (seedings.isEmpty()) {
      out.println("error: " + staging + " holds no finished Seedship backup (seedship-<seeding> folder): check the staging "
          + "location, or let the staging backup finish.");
      return null;
    }
    List<Choice> choices = new ArrayList<>();
    for (StagedRepository staged : seedings) {
      for (String job : keyStore.jobs()) {
        if (keyStore.jobInfo(job).seedingId().equals(staged.seedingId())) {
          long sealed = keyStore.drives(job).stream().filter(r -> r.state().name().equals("SEALED")).count();
          choices.add(new Choice(staged, job, "continue import job " + job + " (seeding " + staged.seedingId() + ", " + sealed
              + " drive(s) sealed)"));
        }
      }
      choices.add(new Choice(staged, null, "new import job for seeding " + staged.seedingId()));
    }
    Choice choice = choices.get(0);
    if (choices.size() > 1) {
      out.println("Import jobs of " + staging + ":");
      for (int i = 0; i < choices.size(); i++) {
        out.println("  " + (i + 1) + ") " + choices.get(i).label());
      }
      while (true) {
        String answer = ask("Choose the import job [1-" + choices.size() + "]: ");
        if (answer == null) {
          return null;
        }
        try {
          int n = Integer.parseInt(answer.strip());
          if (n >= 1 && n <= choices.size()) {
            choice = choices.get(n - 1);
            break;
          }
        } catch (NumberFormatException e) {
          // asked again below
        }
        out.println("Give a number from 1 to " + choices.size() + ".");
      }
    } else {
      out.println("Import job: " + choice.label());
    }
    if (choice.importJob() == null) {
      String name = ask("Name of the new import job (unique) [" + choice.staged().seedingId() + "]: ");
      if (name == null) {
        return null;
      }
      choice = new Choice(choice.staged(), name.isBlank() ? choice.staged().seedingId() : name.strip(), choice.label());
    }
    return choice;
  }

  private int prepare(Choice choice, Path staging, Path publishSettings, DiskPrepKeyStore keyStore) throws IOException {
    PrepareDrives prepareDrives = new PrepareDrives(keyStore, DriveInspector.system(), KdfParameters.DEFAULT);
    DriveInspector inspector = DriveInspector.system();
    List<Path> drives = new ArrayList<>();
    boolean formatConfirmed = false;
    String prompt = "Drive folder (the mounted drive; an empty line stops): ";
    while (true) {
      String answer = ask(prompt);
      if (answer == null || answer.isBlank()) {
        out.println("Stopped. Run the same command again to continue where it stopped; finished drives stay finished.");
        return FAILED;
      }
      Path drive = Path.of(answer.strip());
      try {
        out.println("drive " + drive + ": " + inspector.describe(drive, 0).summary());
      } catch (DriveRejectedException e) {
        out.println("Drive refused: " + e.getMessage());
        continue;
      }
      drives.add(drive);
      DiskPrepOutcome outcome;
      while (true) {
        try {
          outcome = prepareDrives.prepare(new DiskPrepRequest(choice.staged().seedingId(), staging, choice.importJob(),
              drives, formatConfirmed, publishSettings), new ProgressBar(out));
          break;
        } catch (ForeignDataException e) {
          out.println(e.getMessage());
          String format = ask("Format " + drive + "? Everything on it is deleted [y/N]: ");
          if (format == null || !format.strip().equalsIgnoreCase("y")) {
            drives.remove(drive);
            outcome = null;
            break;
          }
          formatConfirmed = true;
        } catch (DriveRejectedException e) {
          out.println("Drive refused: " + e.getMessage());
          drives.remove(drive);
          outcome = null;
          break;
        }
      }
      if (outcome == null) {
        prompt = "Drive folder (another drive; an empty line stops): ";
        continue;
      }
      if (outcome instanceof DiskPrepOutcome.DriveFull full) {
        out.println("Drive " + full.fullDriveId() + " is full. " + ProgressBar.human(full.bytesRemaining()) + " in "
            + full.filesRemaining() + " file(s) remain: attach another drive with at least "
            + ProgressBar.human(full.smallestDriveBytes()) + " free.");
        prompt = "Next drive folder (an empty line stops): ";
        continue;
      }
      report(outcome.drives(), keyStore, choice.importJob());
      return OK;
    }
  }

  private void report(List<PreparedDrive> prepared, DiskPrepKeyStore keyStore, String importJob) {
    out.println(prepared.size() + " drive(s) ready to ship for import job " + importJob + ":");
    for (PreparedDrive d : prepared) {
      out.println("  " + d.sequence() + ". drive " + d.driveId() + " at " + d.mount() + ": " + d.files() + " files, "
          + ProgressBar.human(d.bytes()) + ", manifest SHA-256 " + d.manifestSha256());
    }
    out.println("The recovery passwords are in the key store " + keyStore.jobFolder(importJob)
        + " (mode 0600), never on the drives; keep a copy of that folder.");
    out.println("Next: create the import job and ship all drives of this job in one package.");
  }

  private String ask(String question) throws IOException {
    return Prompt.ask(in, out, question);
  }

  private static Path defaultKeyDirectory() {
    return defaultKeyDirectory(System::getenv);
  }

  private static Path defaultKeyDirectory(Function<String, String> env) {
    String fromEnvironment = env.apply("SEEDSHIP_KEY_DIR");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return Path.of(fromEnvironment);
    }
    return Path.of(System.getProperty("user.home"), ".seedship", "keys");
  }
}
