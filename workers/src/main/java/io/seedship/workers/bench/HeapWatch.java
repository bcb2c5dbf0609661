package io.seedship.workers.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The heap a benchmarked operation needs: the most the heap held right after any collection (what was live
 * then, plus what old regions still held), and the -Xmx cap. Why not the pools' peak usages: their sum adds
 * peaks of different moments and the garbage the young generation held before each collection, and printed
 * more than -Xmx (e.g. 768 MiB under -Xmx512m) for a heap that never exceeded the cap.
 */
public final class HeapWatch {

  private static final AtomicLong AFTER_GC_PEAK = new AtomicLong();

  private HeapWatch() {
  }

  /** Starts listening to the collectors; call first thing in main. */
  public static void start() {
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((notification, handback) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            // the pools this collector manages: the heap's generations
            long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                .filter(usage -> usage != null).mapToLong(MemoryUsage::getUsed).sum();
            AFTER_GC_PEAK.accumulateAndGet(used, Math::max);
          }
        }, null, null);
      }
    }
  }

  /** The fields the benchmarks print: {@code heap-after-gc-peak-mib=N heap-max-mib=M}. */
  public static String fields() {
    return "heap-after-gc-peak-mib=" + (AFTER_GC_PEAK.get() >> 20) + " heap-max-mib=" + (Runtime.getRuntime().maxMemory() >> 20);
  }
}
