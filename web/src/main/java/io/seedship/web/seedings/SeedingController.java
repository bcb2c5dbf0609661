package io.seedship.web.seedings;

import io.seedship.processes.SeedingProcess;
import io.seedship.seeding.ShippingDetails;
import io.seedship.web.security.ApiAccess;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Seedship's own API for other systems: start, follow, ship, cancel and stop seedings. */
@RestController
@RequestMapping("/api/seedings")
class SeedingController {

  private final StartSeeding startSeeding;
  private final SubmitShippingDetails submitShippingDetails;
  private final SignalSeeding signalSeeding;
  private final SeedingRecords records;
  private final RuntimeService runtime;
  private final ApiAccess access;
  private final VaultStatus vaultStatus;

  SeedingController(StartSeeding startSeeding, SubmitShippingDetails submitShippingDetails, SignalSeeding signalSeeding,
                    SeedingRecords records, RuntimeService runtime, ApiAccess access, VaultStatus vaultStatus) {
    this.startSeeding = startSeeding;
    this.submitShippingDetails = submitShippingDetails;
    this.signalSeeding = signalSeeding;
    this.records = records;
    this.runtime = runtime;
    this.access = access;
    this.vaultStatus = vaultStatus;
  }

  @PostMapping
  ResponseEntity<StartSeeding.Started> start(@RequestBody SeedingRequestBody body) {
    access.requireWrite();
    StartSeeding.Started started = startSeeding.start(body);
    return ResponseEntity.created(URI.create("/api/seedings/" + started.seedingId())).body(started);
  }

  @GetMapping
  List<SeedingRecords.Seeding> list() {
    access.requireRead();
    return records.all();
  }

  @GetMapping("/{seedingId}")
  Map<String, Object> status(@PathVariable String seedingId) {
    access.requireRead();
    SeedingRecords.Seeding seeding = records.get(seedingId);
    boolean active = runtime.createProcessInstanceQuery().processInstanceId(seeding.processInstanceId()).count() > 0;
    Object statusText = active ? runtime.getVariable(seeding.processInstanceId(), "statusText") : null;
    String progressVariable = "DISK_PREPARATION".equals(seeding.state()) ? SeedingProcess.Variables.DISK_PREP_PROGRESS
        : SeedingProcess.Variables.STAGING_PROGRESS;
    Object progress = active ? runtime.getVariable(seeding.processInstanceId(), progressVariable) : null;
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("seeding", seeding);
    status.put("active", active);
    status.put("statusText", statusText == null ? seeding.state() : statusText);
    if (progress != null && ("STAGING".equals(seeding.state()) || "DISK_PREPARATION".equals(seeding.state()))) {
      status.put("progress", progress);
    }
    if (active) {
      importJob(seeding.processInstanceId()).ifPresent(job -> status.put("importJob", job));
    }
    vaultStatus.of(seedingId, seeding.processInstanceId(), active).ifPresent(vault -> status.put("vault", vault));
    status.put("shipments", records.shipments(seedingId));
    status.put("events", records.events(seedingId));
    return status;
  }

  /** The current import job as the workers last saw it: id, the datacenter's ship-to address, state, per-drive progress. */
  private Optional<Map<String, Object>> importJob(String processInstanceId) {
    Map<String, Object> variables = runtime.getVariables(processInstanceId, List.of(SeedingProcess.Variables.IMPORT_JOB_ID,
        SeedingProcess.Variables.SHIP_TO_ADDRESS, SeedingProcess.Variables.IMPORT_JOB_STATE, SeedingProcess.Variables.IMPORT_PROGRESS));
    if (variables.get(SeedingProcess.Variables.IMPORT_JOB_ID) == null) {
      return Optional.empty();
    }
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("id", variables.get(SeedingProcess.Variables.IMPORT_JOB_ID));
    job.put("shipToAddress", variables.get(SeedingProcess.Variables.SHIP_TO_ADDRESS));
    job.put("state", variables.get(SeedingProcess.Variables.IMPORT_JOB_STATE));
    job.put("progress", variables.get(SeedingProcess.Variables.IMPORT_PROGRESS));
    return Optional.of(job);
  }

  @PutMapping("/{seedingId}/shipping")
  ResponseEntity<Map<String, String>> ship(@PathVariable String seedingId, @RequestBody ShippingDetails details) {
    access.requireWrite();
    submitShippingDetails.submit(seedingId, details);
    return ResponseEntity.ok(Map.of("seedingId", seedingId, "result", "Shipping details recorded; the two-week delivery window starts now."));
  }

  @PostMapping("/{seedingId}/cancel")
  ResponseEntity<Map<String, String>> cancel(@PathVariable String seedingId) {
    access.requireWrite();
    signalSeeding.cancel(seedingId);
    return ResponseEntity.accepted().body(Map.of("seedingId", seedingId, "result", "Cancellation requested."));
  }

  @PostMapping("/{seedingId}/stop")
  ResponseEntity<Map<String, String>> stop(@PathVariable String seedingId) {
    access.requireWrite();
    signalSeeding.stopProtection(seedingId);
    return ResponseEntity.accepted().body(Map.of("seedingId", seedingId, "result", "Protection stopped."));
  }
}
