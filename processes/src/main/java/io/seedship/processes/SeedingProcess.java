package io.seedship.processes;

/**
 * Every name the {@code offline-seeding} model shares with code: the process key, external-task topics,
 * messages, BPMN error codes and process variables. The model ({@code offline-seeding.bpmn}), the forms,
 * the workers and the web application all refer to these constants, so a rename happens in one place.
 * The contract of each topic (inputs, outputs, errors) is written down in {@code processes/README.md}.
 */
public final class SeedingProcess {

  public static final String KEY = "offline-seeding";

  private SeedingProcess() {
  }

  /** External-task topics: the heavy work done by workers outside the engine. */
  public static final class Topics {
    public static final String CERTIFICATE_SETUP = "certificate-setup";
    public static final String CERTIFICATE_VERIFY = "certificate-verify";
    public static final String CERTIFICATE_REGISTER = "certificate-register";
    public static final String STAGING_BACKUP = "staging-backup";
    public static final String DISK_PREP_COPY = "disk-prep-copy";
    public static final String IMPORT_JOB_CREATE = "import-job-create";
    public static final String IMPORT_JOB_SHIP = "import-job-ship";
    public static final String IMPORT_JOB_STATUS = "import-job-status";
    public static final String IMPORT_REPAIR = "import-repair";
    public static final String VAULT_SEED_COPY = "vault-seed-copy";
    public static final String NETWORK_SEED = "network-seed";
    public static final String INCREMENTAL_BACKUP = "incremental-backup";
    public static final String SEEDING_CLEANUP = "seeding-cleanup";
    public static final String SEED_CLEANUP = "seed-cleanup";

    private Topics() {
    }
  }

  /** Messages other systems (or Seedship's API) correlate to a running seeding. */
  public static final class Messages {
    public static final String SHIPPING_DETAILS_SUBMITTED = "ShippingDetailsSubmitted";
    public static final String CANCEL_SEEDING = "CancelSeeding";
    public static final String STOP_PROTECTION = "StopProtection";

    private Messages() {
    }
  }

  /** BPMN error codes thrown by workers (or by the model itself) and caught in the model. */
  public static final class Errors {
    public static final String STAGING_FAILED = "STAGING_FAILED";
    public static final String DRIVE_FULL = "DRIVE_FULL";
    public static final String DRIVE_REJECTED = "DRIVE_REJECTED";
    public static final String DRIVES_NEVER_RECEIVED = "DRIVES_NEVER_RECEIVED";
    public static final String IMPORT_CANCELLED = "IMPORT_CANCELLED";

    private Errors() {
    }
  }

  /** Process variables. Secrets never appear here: workers receive references, not key material. */
  public static final class Variables {
    // the request (start form or API)
    public static final String PROTECTED_SOURCE = "protectedSource";
    public static final String STAGING_LOCATION = "stagingLocation";
    public static final String PUBLISH_SETTINGS_PATH = "publishSettingsPath";
    public static final String IMPORT_JOB_NAME = "importJobName";
    public static final String SUBSCRIPTION_ID = "subscriptionId";
    public static final String STORAGE_ACCOUNT = "storageAccount";
    public static final String CONTAINER = "container";
    public static final String REPLICATION_METHOD = "replicationMethod";

    // durations and schedule, per seeding (defaults in SeedingSchedule)
    public static final String SHIPPING_DETAILS_DEADLINE = "shippingDetailsDeadline";
    public static final String SHIPPING_DETAILS_REMINDER = "shippingDetailsReminder";
    public static final String ARRIVAL_DEADLINE = "arrivalDeadline";
    public static final String ARRIVAL_REMINDER = "arrivalReminder";
    public static final String IMPORT_POLL_INTERVAL = "importPollInterval";
    public static final String BACKUP_SCHEDULE = "backupSchedule";

    // request registration
    public static final String SEEDING_ID = "seedingId";
    public static final String REQUEST_VALID = "requestValid";
    public static final String REQUEST_PROBLEMS = "requestProblems";
    public static final String PHASE = "phase";
    public static final String STATUS_TEXT = "statusText";

    // certificate setup
    public static final String CERTIFICATE_SETUP = "certificateSetup";
    public static final String APPLICATION_ID = "applicationId";
    public static final String CERTIFICATE_THUMBPRINT = "certificateThumbprint";
    public static final String UPLOADED_THUMBPRINT = "uploadedThumbprint";
    public static final String THUMBPRINT_ACCEPTED = "thumbprintAccepted";
    public static final String CERTIFICATE_PROBLEM = "certificateProblem";

    // staging
    public static final String STAGING_PROBLEM = "stagingProblem";
    public static final String STAGING_DECISION = "stagingDecision";
    public static final String STAGED_SNAPSHOT_ID = "stagedSnapshotId";
    public static final String STAGED_BYTES = "stagedBytes";
    /** Written by the staging worker while it works: phase, files and bytes done of the total, throughput. */
    public static final String STAGING_PROGRESS = "stagingProgress";

    // disk preparation
    public static final String DRIVE_PATHS = "drivePaths";
    public static final String FORMAT_CONFIRMED = "formatConfirmed";
    public static final String ADDITIONAL_DRIVE_PATH = "additionalDrivePath";
    public static final String DRIVE_PROBLEM = "driveProblem";
    public static final String FULL_DRIVE_ID = "fullDriveId";
    public static final String BYTES_REMAINING = "bytesRemaining";
    public static final String DRIVES_PREPARED = "drivesPrepared";
    /** Written by the disk-preparation worker while it works: drive, files and bytes done, throughput. */
    public static final String DISK_PREP_PROGRESS = "diskPrepProgress";

    // import job and shipping
    public static final String IMPORT_JOB_ATTEMPT = "importJobAttempt";
    public static final String IMPORT_JOB_ID = "importJobId";
    public static final String SHIP_TO_ADDRESS = "shipToAddress";
    public static final String CARRIER = "carrier";
    public static final String TRACKING_NUMBER = "trackingNumber";
    public static final String SHIP_DATE = "shipDate";
    public static final String RETURN_ADDRESS = "returnAddress";
    public static final String CONTACT = "contact";
    public static final String SHIPPING_CONFIRMED = "shippingConfirmed";
    public static final String SHIPPING_RECORDED = "shippingRecorded";
    public static final String SHIPPING_PROBLEM = "shippingProblem";
    public static final String EXPIRED_JOB_DECISION = "expiredJobDecision";
    public static final String MISSED_ARRIVAL_DECISION = "missedArrivalDecision";

    // datacenter
    public static final String IMPORT_JOB_STATE = "importJobState";
    public static final String DRIVES_RECEIVED = "drivesReceived";
    public static final String DRIVES_NEVER_RECEIVED = "drivesNeverReceived";
    /** Written by the import-status worker: the job's state and, per drive, state, percent complete and bytes. */
    public static final String IMPORT_PROGRESS = "importProgress";
    /** Written by the repair worker: how many files were uploaded over the network. */
    public static final String REPAIRED_FILES = "repairedFiles";

    // vault and incrementals
    public static final String RECOVERY_POINT_ID = "recoveryPointId";
    public static final String LAST_BACKUP_AT = "lastBackupAt";
    /** Written by the vault's workers while they work: phase, blobs or files and bytes done, throughput. */
    public static final String VAULT_PROGRESS = "vaultProgress";

    // clean-up after the seed (operator's choice) and after a cancellation
    public static final String DELETE_IMPORT_COPY = "deleteImportCopy";
    public static final String DELETE_STAGING = "deleteStaging";
    public static final String ERASE_DRIVE_KEYS = "eraseDriveKeys";
    /** Written by the clean-up workers: what was removed (the audit records hold the details). */
    public static final String CLEANUP_REPORT = "cleanupReport";

    private Variables() {
    }
  }
}
