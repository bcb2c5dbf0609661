package io.seedship.workers.datacenter;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The datacenter's jobs in the database (tables dc_jobs, dc_drives; changeset 003-datacenter.xml). */
public final class JdbcDatacenterStore implements DatacenterStore {

  private static final int MESSAGE_LIMIT = 4096;
  private static final String JOB_COLUMNS = "job_id, storage_account, container_name, return_address, contact, verbose_log, "
      + "state, created_at, state_since, carrier, tracking_number, ship_date, shipping_submitted_at, message";

  private final DataSource dataSource;

  public JdbcDatacenterStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void insert(DatacenterJob job) {
    inTransaction(c -> {
      if (find(c, job.jobId()).isPresent()) {
        throw new ImportJobRefusedException("An import job named " + job.jobId() + " exists already: choose another name.");
      }
      try (PreparedStatement s = c.prepareStatement("INSERT INTO dc_jobs (" + JOB_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
          + "?, ?, ?, ?)")) {
        s.setString(1, job.jobId());
        s.setString(2, job.storageAccount());
        s.setString(3, job.container());
        s.setString(4, job.returnAddress());
        s.setString(5, job.contact());
        s.setBoolean(6, job.verboseLog());
        setJobState(s, 7, job);
        s.executeUpdate();
      }
      for (DatacenterDrive d : job.drives()) {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO dc_drives (job_id, drive_id, sequence_no, unlock_secret_ref, "
            + "manifest_sha256, state, percent_complete, bytes_succeeded, error_log_blob, verbose_log_blob, message) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          s.setString(1, job.jobId());
          s.setString(2, d.driveId());
          s.setInt(3, d.sequence());
          s.setString(4, d.unlockSecretRef());
          s.setString(5, d.manifestSha256());
          setDriveState(s, 6, d);
          s.executeUpdate();
        }
      }
    });
  }

  @Override
  public void update(DatacenterJob job) {
    inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE dc_jobs SET state = ?, created_at = ?, state_since = ?, carrier = ?, "
          + "tracking_number = ?, ship_date = ?, shipping_submitted_at = ?, message = ? WHERE job_id = ?")) {
        setJobState(s, 1, job);
        s.setString(9, job.jobId());
        if (s.executeUpdate() != 1) {
          throw new UnknownJobException("There is no import job " + job.jobId() + " to update.");
        }
      }
      for (DatacenterDrive d : job.drives()) {
        try (PreparedStatement s = c.prepareStatement("UPDATE dc_drives SET state = ?, percent_complete = ?, bytes_succeeded = ?, "
            + "error_log_blob = ?, verbose_log_blob = ?, message = ? WHERE job_id = ? AND drive_id = ?")) {
          setDriveState(s, 1, d);
          s.setString(7, job.jobId());
          s.setString(8, d.driveId());
          s.executeUpdate();
        }
      }
    }, job);
  }

  @Override
  public Optional<DatacenterJob> find(String jobId) {
    try (Connection c = dataSource.getConnection()) {
      return find(c, jobId);
    } catch (SQLException e) {
      throw unreachable(e);
    }
  }

  @Override
  public Optional<String> jobWithTrackingNumber(String trackingNumber) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement s = c.prepareStatement("SELECT job_id FROM dc_jobs WHERE tracking_number = ?")) {
      s.setString(1, trackingNumber);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw unreachable(e);
    }
  }

  @Override
  public List<DatacenterJob> unfinished() {
    List<DatacenterJob> jobs = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT job_id FROM dc_jobs WHERE state NOT IN ('Completed', 'Closed', "
          + "'Cancelled') ORDER BY created_at, job_id"); ResultSet r = s.executeQuery()) {
        while (r.next()) {
          ids.add(r.getString(1));
        }
      }
      for (String id : ids) {
        find(c, id).ifPresent(jobs::add);
      }
      return jobs;
    } catch (SQLException e) {
      throw unreachable(e);
    }
  }

  private Optional<DatacenterJob> find(Connection c, String jobId) throws SQLException {
    List<DatacenterDrive> drives = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT drive_id, sequence_no, unlock_secret_ref, manifest_sha256, state, "
        + "percent_complete, bytes_succeeded, error_log_blob, verbose_log_blob, message FROM dc_drives WHERE job_id = ? "
        + "ORDER BY sequence_no")) {
      s.setString(1, jobId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          drives.add(new DatacenterDrive(r.getString(1), r.getInt(2), r.getString(3), r.getString(4),
              DriveState.valueOf(r.getString(5)), r.getInt(6), r.getLong(7), r.getString(8), r.getString(9), r.getString(10)));
        }
      }
    }
    try (PreparedStatement s = c.prepareStatement("SELECT " + JOB_COLUMNS + " FROM dc_jobs WHERE job_id = ?")) {
      s.setString(1, jobId);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        String tracking = r.getString(11);
        ShippingDetails shipping = tracking == null ? null
            : new ShippingDetails(r.getString(10), tracking, r.getDate(12).toLocalDate());
        return Optional.of(new DatacenterJob(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
            r.getBoolean(6), JobState.valueOf(r.getString(7)), instant(r.getTimestamp(8)), instant(r.getTimestamp(9)), shipping,
            instant(r.getTimestamp(13)), r.getString(14), drives));
      }
    }
  }

  /** Parameters 7..14 of the insert, 1..8 of the update: the columns that change over a job's life. */
  private static void setJobState(PreparedStatement s, int first, DatacenterJob job) throws SQLException {
    ShippingDetails shipping = job.shipping();
    s.setString(first, job.state().name());
    s.setTimestamp(first + 1, Timestamp.from(job.createdAt()));
    s.setTimestamp(first + 2, Timestamp.from(job.stateSince()));
    s.setString(first + 3, shipping == null ? null : shipping.carrier());
    s.setString(first + 4, shipping == null ? null : shipping.trackingNumber());
    if (shipping == null) {
      s.setNull(first + 5, Types.DATE);
    } else {
      s.setDate(first + 5, Date.valueOf(shipping.shipDate()));
    }
    s.setTimestamp(first + 6, job.shippingSubmittedAt() == null ? null : Timestamp.from(job.shippingSubmittedAt()));
    s.setString(first + 7, limit(job.message()));
  }

  private static void setDriveState(PreparedStatement s, int first, DatacenterDrive d) throws SQLException {
    s.setString(first, d.state().name());
    s.setInt(first + 1, d.percentComplete());
    s.setLong(first + 2, d.bytesSucceeded());
    s.setString(first + 3, d.errorLogBlob());
    s.setString(first + 4, d.verboseLogBlob());
    s.setString(first + 5, limit(d.message()));
  }

  private interface Work {
    void run(Connection c) throws SQLException;
  }

  private void inTransaction(Work work) {
    inTransaction(work, null);
  }

  private void inTransaction(Work work, DatacenterJob job) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        work.run(c);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        if (job != null && job.shipping() != null && e instanceof SQLException sql && isTrackingNumberTaken(sql)) {
          String holder = jobWithTrackingNumber(job.shipping().trackingNumber()).orElse("another job");
          throw LocalDatacenter.duplicateTracking(job.shipping().trackingNumber(), holder);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw unreachable(e);
    }
  }

  private static boolean isTrackingNumberTaken(SQLException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    return "23505".equals(e.getSQLState()) && message.contains("uq_dc_jobs_tracking_number");
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static String limit(String message) {
    return message == null || message.length() <= MESSAGE_LIMIT ? message : message.substring(0, MESSAGE_LIMIT - 1) + "…";
  }

  private static IllegalStateException unreachable(SQLException e) {
    return new IllegalStateException("The datacenter's tables cannot be used (" + e.getMessage() + ", SQL state "
        + e.getSQLState() + "): check the database connection and that changeset 003-datacenter ran.", e);
  }
}
