package io.seedship.workers.datacenter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the tests move by hand: the datacenter's waits pass without waiting. */
final class MovableClock extends Clock {

  private Instant now;

  MovableClock(Instant start) {
    this.now = start;
  }

  void move(Duration by) {
    now = now.plus(by);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
