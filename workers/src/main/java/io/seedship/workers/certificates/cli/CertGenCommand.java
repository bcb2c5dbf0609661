package io.seedship.workers.certificates.cli;

import io.seedship.workers.certificates.AddRegistryEntries;
import io.seedship.workers.certificates.CertificateSetupException;
import io.seedship.workers.certificates.CertificateStore;
import io.seedship.workers.certificates.CertificateStoreException;
import io.seedship.workers.certificates.CreateNewApplication;
import io.seedship.workers.certificates.Directory;
import io.seedship.workers.certificates.DirectoryException;
import io.seedship.workers.certificates.OfflineApplicationParams;
import io.seedship.workers.certificates.SettingsStore;
import io.seedship.workers.certificates.graph.GraphDirectory;
import io.seedship.workers.certificates.jdbc.JdbcDirectory;
import io.seedship.workers.certificates.jdbc.JdbcSettingsStore;
import io.seedship.workers.certificates.jdbc.SimpleDataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * {@code seedship certgen}, with the verbs and the {@code Name:value} arguments of AzureOfflineBackupCertGen.exe:
 * <pre>
 *   seedship certgen CreateNewApplication SubscriptionId:&lt;id&gt; [ResourceId:&lt;id&gt;] [OutputFolder:&lt;dir&gt;]
 *   seedship certgen AddRegistryEntries SubscriptionId:&lt;id&gt; xmlfilepath:&lt;path&gt; storageaccountname:&lt;name&gt;
 * </pre>
 * Configuration comes from the environment (see the README): the database of Seedship's local directory and
 * settings store, the certificate folders, and optionally Microsoft Graph instead of the local directory.
 */
public final class CertGenCommand {

  private static final String USAGE = """
      usage:
        seedship certgen CreateNewApplication SubscriptionId:<id> [ResourceId:<id>] [OutputFolder:<dir>]
        seedship certgen AddRegistryEntries SubscriptionId:<id> xmlfilepath:<path> storageaccountname:<name>
      environment: SEEDSHIP_DB_URL, SEEDSHIP_DB_USER, SEEDSHIP_DB_PASSWORD, SEEDSHIP_CERTIFICATES,
                   SEEDSHIP_CERTIFICATE_SECRETS, SEEDSHIP_SCRATCH, SEEDSHIP_DIRECTORY=local|graph,
                   SEEDSHIP_GRAPH_URL, SEEDSHIP_GRAPH_TOKEN""";

  private CertGenCommand() {
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, System::getenv);
  }

  /** As {@link #run(String[], PrintStream, PrintStream)}, with the environment given (for tests and embedding). */
  public static int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env) {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    Map<String, String> named;
    try {
      named = named(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(USAGE);
      return 2;
    }
    Settings settings = new Settings(env);
    try {
      return switch (args[0].toLowerCase(Locale.ROOT)) {
        case "createnewapplication" -> createNewApplication(named, settings, out);
        case "addregistryentries" -> addRegistryEntries(named, settings, out);
        default -> {
          err.println("Unknown verb '" + args[0] + "'.");
          err.println(USAGE);
          yield 2;
        }
      };
    } catch (CertificateSetupException | DirectoryException | CertificateStoreException | IllegalArgumentException e) {
      err.println("certgen: " + e.getMessage());
      return 1;
    }
  }

  private static int createNewApplication(Map<String, String> named, Settings settings, PrintStream out) {
    String subscriptionId = required(named, "subscriptionid");
    String resourceId = named.getOrDefault("resourceid", settings.hostResourceId());
    Path outputFolder = Path.of(named.getOrDefault("outputfolder", "."));
    CertificateStore certificates = settings.certificates();
    CreateNewApplication.Result result = new CreateNewApplication(settings.directory(), certificates, settings.store())
        .run(subscriptionId, resourceId);
    Path params = write(outputFolder.resolve(OfflineApplicationParams.FILE_NAME), result.params().toXml());
    out.println("Application : " + result.application().displayName() + " (application id " + result.application().appId() + ")");
    out.println("Certificate : " + result.certificate().subject() + ", thumbprint " + result.certificate().thumbprint());
    out.println("Written     : " + params.toAbsolutePath());
    if (result.outcome() == CreateNewApplication.Outcome.MANUAL_UPLOAD_REQUIRED) {
      out.println();
      out.println("The application already has certificates, so the certificate was not added automatically.");
      out.println("Upload " + certificates.cerFile(resourceId).toAbsolutePath() + " (no private key) to the application under");
      out.println("Certificates & secrets, then give its thumbprint to the seeding's task 'Upload the offline-backup certificate'.");
      return 3;
    }
    out.println("The certificate was added to the application. Next: copy " + OfflineApplicationParams.FILE_NAME
        + " to the backup server and run AddRegistryEntries.");
    return 0;
  }

  private static int addRegistryEntries(Map<String, String> named, Settings settings, PrintStream out) {
    String subscriptionId = required(named, "subscriptionid");
    Path xml = Path.of(required(named, "xmlfilepath"));
    String storageAccount = required(named, "storageaccountname");
    String content;
    try {
      content = Files.readString(xml);
    } catch (NoSuchFileException e) {
      throw new CertificateSetupException("xmlfilepath " + xml + " does not exist: give the OfflineApplicationParams.xml that "
          + "CreateNewApplication wrote.");
    } catch (IOException e) {
      throw new CertificateSetupException("xmlfilepath " + xml + " cannot be read: " + e.getMessage());
    }
    OfflineApplicationParams registered = new AddRegistryEntries(settings.store())
        .run(subscriptionId, content, xml.toString(), storageAccount);
    Path scratch = write(settings.scratch().resolve(OfflineApplicationParams.fileNameFor(storageAccount)), registered.toXml());
    out.println("Registered application " + registered.applicationName() + " for storage account " + storageAccount + ".");
    out.println("Written     : " + scratch.toAbsolutePath() + " (and in Seedship's settings store)");
    return 0;
  }

  private static Map<String, String> named(String[] args) {
    Map<String, String> named = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      int colon = args[i].indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("Argument '" + args[i] + "' is not of the form Name:value.");
      }
      named.put(args[i].substring(0, colon).toLowerCase(Locale.ROOT), args[i].substring(colon + 1));
    }
    return named;
  }

  private static String required(Map<String, String> named, String name) {
    String value = named.get(name);
    if (value == null || value.isBlank()) {
      throw new CertificateSetupException("Argument " + name + ":<value> is missing.");
    }
    return value;
  }

  private static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new CertificateSetupException("Cannot write " + file + ": " + e.getMessage());
    }
  }

  /** Where the command finds its database, folders and directory. */
  private record Settings(Function<String, String> env) {

    String get(String name, String fallback) {
      String value = env.apply(name);
      return value == null || value.isBlank() ? fallback : value;
    }

    DataSource dataSource() {
      return new SimpleDataSource(get("SEEDSHIP_DB_URL", "jdbc:postgresql://127.0.0.1:5432/seedship"),
          get("SEEDSHIP_DB_USER", "postgres"), get("SEEDSHIP_DB_PASSWORD", ""));
    }

    Path home() {
      return Path.of(System.getProperty("user.home"), ".seedship");
    }

    CertificateStore certificates() {
      return new CertificateStore(Path.of(get("SEEDSHIP_CERTIFICATES", home().resolve("certificates").toString())),
          Path.of(get("SEEDSHIP_CERTIFICATE_SECRETS", home().resolve("secrets").toString())));
    }

    Path scratch() {
      return Path.of(get("SEEDSHIP_SCRATCH", home().resolve("scratch").resolve("MicrosoftBackupProvider").toString()));
    }

    SettingsStore store() {
      return new JdbcSettingsStore(dataSource());
    }

    Directory directory() {
      if ("graph".equalsIgnoreCase(get("SEEDSHIP_DIRECTORY", "local"))) {
        String token = get("SEEDSHIP_GRAPH_TOKEN", null);
        if (token == null) {
          throw new CertificateSetupException("SEEDSHIP_DIRECTORY=graph needs SEEDSHIP_GRAPH_TOKEN (a bearer token for Microsoft Graph).");
        }
        return new GraphDirectory(URI.create(get("SEEDSHIP_GRAPH_URL", "https://graph.microsoft.com/v1.0")), () -> token);
      }
      return new JdbcDirectory(dataSource());
    }

    String hostResourceId() {
      try {
        return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "-");
      } catch (UnknownHostException e) {
        return "seedship-server";
      }
    }
  }
}
