package io.seedship.workers.diskprep;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pipeline helper on an executor that counts {@code done} down exactly once, whether it ran, failed, or was
 * stopped before it started. (A Future cancelled before its task starts never runs the task, so a count-down in
 * the task's own finally would never happen and whoever waits for the helpers would wait in vain.)
 */
final class HelperTask<T> {

  private final AtomicBoolean claimed = new AtomicBoolean();
  private final CountDownLatch done;
  private final Future<T> future;

  private HelperTask(ExecutorService executor, CountDownLatch done, Callable<T> work) {
    this.done = done;
    this.future = executor.submit(() -> {
      if (!claimed.compareAndSet(false, true)) {
        return null; // stopped before it started: stop() counted it down
      }
      try {
        return work.call();
      } finally {
        done.countDown();
      }
    });
  }

  static <T> HelperTask<T> submit(ExecutorService executor, CountDownLatch done, Callable<T> work) {
    return new HelperTask<>(executor, done, work);
  }

  T get() throws InterruptedException, ExecutionException {
    return future.get();
  }

  Future<T> future() {
    return future;
  }

  /** Stops the helper: one that has not started never will (and is counted down here); a running one is interrupted. */
  void stop() {
    if (claimed.compareAndSet(false, true)) {
      done.countDown();
    } else {
      future.cancel(true);
    }
  }
}
