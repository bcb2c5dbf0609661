package io.seedship.workers.diskprep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.seedship.seeding.PublishSettings;
import io.seedship.workers.api.SeedshipApi;
import io.seedship.workers.api.SeedshipApiException;
import io.seedship.workers.diskprep.DiskPrepException;
import io.seedship.workers.diskprep.DiskPrepKeyStore;
import io.seedship.workers.diskprep.PrepareDrives;
import io.seedship.workers.diskprep.StagedRepository;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code seedship diskprep u: [s:<staging> p:<publishsettings>] [k:<key-dir>]}: the shipping step of
 * {@code AzureOfflineBackupDiskPrep.exe}. Finds the import job that waits for its shipping details (by the
 * seedings whose drives this computer prepared, or from another computer by the seedings in the staging
 * location), asks for carrier, tracking number, ship date, return address and contact, shows them for review
 * and sends them to Seedship only after the operator confirms with <b>Yes</b>; Seedship refuses a tracking number
 * that another import job has. The details are also kept locally ({@code <key-dir>/shipping/<job>.properties}).
 * For a job that has its package already, it prints the job's state. Exit codes: 0 done, 1 failed or declined,
 * 2 usage.
 */
final class ShippingCommand {

  private static final String USAGE_TEXT = """
      usage: seedship diskprep u: [s:<staging location> p:<publish-settings file>] [k:<key directory>]
        u:  enter the shipping details of the import job that waits for them, or show its state
        s:, p:  from another computer than the one that prepared the drives: the staging location and publish settings
        k:  the key store (default $SEEDSHIP_KEY_DIR, else ~/.seedship/keys)
      Seedship's API: SEEDSHIP_URL, SEEDSHIP_API_USER, SEEDSHIP_API_PASSWORD
      """;

  private record Job(String seedingId, String importJob, JsonNode status) {
  }

  private final BufferedReader in;
  private final PrintStream out;
  private final Function<String, String> env;
  private final Clock clock;

  ShippingCommand(BufferedReader in, PrintStream out, Function<String, String> env, Clock clock) {
    this.in = in;
    this.out = out;
    this.env = env;
    this.clock = clock;
  }

  int run(String[] args, Path defaultKeyDir) {
    Path staging = null;
    Path publishSettings = null;
    Path keyDir = defaultKeyDir;
    for (String arg : args) {
      if (arg.equals("u:")) {
        continue;
      } else if (arg.startsWith("s:") && arg.length() > 2) {
        staging = Path.of(arg.substring(2));
      } else if (arg.startsWith("p:") && arg.length() > 2) {
        publishSettings = Path.of(arg.substring(2));
      } else if (arg.startsWith("k:") && arg.length() > 2) {
        keyDir = Path.of(arg.substring(2));
      } else {
        out.println("Unknown argument '" + arg + "'.");
        out.print(USAGE_TEXT);
        return DiskPrepCommand.USAGE;
      }
    }
    if ((staging == null) != (publishSettings == null)) {
      out.println("From another computer give both s:<staging location> and p:<publish-settings file>.");
      out.print(USAGE_TEXT);
      return DiskPrepCommand.USAGE;
    }
    try {
      if (publishSettings != null) {
        PublishSettings.Subscription subscription = PrepareDrives.subscriptionOf(publishSettings);
        out.println("publish settings: subscription " + subscription.name() + " (" + subscription.id() + ")");
      }
      SeedshipApi api = SeedshipApi.fromEnvironment(env);
      List<Job> jobs = jobs(api, seedingIds(staging, keyDir));
      if (jobs.isEmpty()) {
        out.println("error: Seedship knows no import job for " + (staging != null ? "the seedings in " + staging
            : "the drives prepared on this computer (" + keyDir + ")") + ". Prepare the drives first, or give s: and p: from "
            + "another computer.");
        return DiskPrepCommand.FAILED;
      }
      List<Job> waiting = jobs.stream().filter(ShippingCommand::waitsForShipping).toList();
      if (waiting.isEmpty()) {
        jobs.forEach(this::printState);
        return DiskPrepCommand.OK;
      }
      Job job = choose(waiting);
      return job == null ? DiskPrepCommand.FAILED : ship(api, job, keyDir);
    } catch (SeedshipApiException | DiskPrepException | IllegalArgumentException | UncheckedIOException e) {
      out.println("error: " + e.getMessage());
      return DiskPrepCommand.FAILED;
    } catch (IOException e) {
      out.println("error: reading the answers failed: " + e.getMessage());
      return DiskPrepCommand.FAILED;
    }
  }

  private static Set<String> seedingIds(Path staging, Path keyDir) {
    Set<String> ids = new LinkedHashSet<>();
    if (staging != null) {
      StagedRepository.findAll(staging).forEach(s -> ids.add(s.seedingId()));
    } else {
      DiskPrepKeyStore keyStore = new DiskPrepKeyStore(keyDir);
      keyStore.jobs().forEach(job -> ids.add(keyStore.jobInfo(job).seedingId()));
    }
    return ids;
  }

  private static List<Job> jobs(SeedshipApi api, Set<String> seedingIds) {
    List<Job> jobs = new ArrayList<>();
    for (String seedingId : seedingIds) {
      JsonNode status = api.seeding(seedingId);
      JsonNode importJob = status == null ? null : status.path("importJob");
      if (importJob != null && importJob.hasNonNull("id")) {
        jobs.add(new Job(seedingId, importJob.get("id").asText(), status));
      }
    }
    return jobs;
  }

  /** The job exists, the seeding is in its shipping phase, and no package was recorded for this job. */
  private static boolean waitsForShipping(Job job) {
    if (!"SHIPPING".equals(job.status().path("seeding").path("state").asText())) {
      return false;
    }
    for (JsonNode shipment : job.status().path("shipments")) {
      if (job.importJob().equals(shipment.path("importJobName").asText())) {
        return false;
      }
    }
    return true;
  }

  private void printState(Job job) {
    JsonNode importJob = job.status().path("importJob");
    out.println("Import job " + job.importJob() + " (seeding " + job.seedingId() + "): " + importJob.path("state").asText("state not "
        + "read yet"));
    out.println("  " + job.status().path("statusText").asText());
    String progress = importJob.path("progress").asText("");
    progress.lines().skip(1).forEach(line -> out.println("  " + line));
  }

  private Job choose(List<Job> waiting) throws IOException {
    if (waiting.size() == 1) {
      return waiting.get(0);
    }
    for (int i = 0; i < waiting.size(); i++) {
      out.println("  [" + (i + 1) + "] import job " + waiting.get(i).importJob() + " (seeding " + waiting.get(i).seedingId() + ")");
    }
    String answer = ask("Which import job did you ship? [1-" + waiting.size() + "]: ");
    try {
      int index = Integer.parseInt(answer == null ? "" : answer.strip()) - 1;
      if (index >= 0 && index < waiting.size()) {
        return waiting.get(index);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    out.println("error: answer with a number from 1 to " + waiting.size() + ".");
    return null;
  }

  private int ship(SeedshipApi api, Job job, Path keyDir) throws IOException {
    JsonNode importJob = job.status().path("importJob");
    out.println("Import job " + job.importJob() + " waits for its shipping details.");
    out.println("Ship all its drives in one package to: " + importJob.path("shipToAddress").asText());
    Map<String, String> details = new LinkedHashMap<>();
    details.put("carrier", required("Carrier: "));
    details.put("trackingNumber", required("Tracking number: "));
    String today = LocalDate.now(clock).toString();
    String shipDate = ask("Ship date [" + today + "]: ");
    shipDate = shipDate == null || shipDate.isBlank() ? today : shipDate.strip();
    try {
      LocalDate.parse(shipDate);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("The ship date '" + shipDate + "' is not a date in the form YYYY-MM-DD.");
    }
    details.put("shipDate", shipDate);
    details.put("returnAddress", required("Return address: "));
    details.put("contact", required("Contact (name, e-mail or phone): "));
    out.println();
    out.println("Review the shipping details of import job " + job.importJob() + ":");
    details.forEach((name, value) -> out.println("  " + name + ": " + value));
    String confirmation = ask("Are these details correct? Type Yes to send them: ");
    if (confirmation == null || !confirmation.strip().equalsIgnoreCase("yes")) {
      out.println("Not sent. Run 'seedship diskprep u:' again to enter them.");
      return DiskPrepCommand.FAILED;
    }
    JsonNode answer = api.submitShipping(job.seedingId(), details);
    Path saved = saveLocally(keyDir, job.importJob(), details);
    out.println(answer.path("result").asText("Shipping details recorded."));
    out.println("Saved on this computer in " + saved + ".");
    return DiskPrepCommand.OK;
  }

  private String required(String question) throws IOException {
    String answer = ask(question);
    if (answer == null || answer.isBlank()) {
      throw new IllegalArgumentException("'" + question.replace(":", "").strip() + "' is required; nothing was sent.");
    }
    return answer.strip();
  }

  private static Path saveLocally(Path keyDir, String importJob, Map<String, String> details) throws IOException {
    Path folder = Files.createDirectories(keyDir.resolve("shipping"));
    Properties properties = new Properties();
    details.forEach(properties::setProperty);
    StringWriter text = new StringWriter();
    properties.store(text, "shipping details of import job " + importJob);
    Path file = folder.resolve(importJob + ".properties");
    Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    return file;
  }

  private String ask(String question) throws IOException {
    return Prompt.ask(in, out, question);
  }
}
