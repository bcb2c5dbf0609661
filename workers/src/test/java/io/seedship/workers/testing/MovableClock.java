package io.seedship.workers.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the tests move by hand: waits (the datacenter's, token lifetimes) pass without waiting. */
public final class MovableClock extends Clock {

  private Instant now;

  public MovableClock(Instant start) {
    this.now = start;
  }

  public void move(Duration by) {
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
