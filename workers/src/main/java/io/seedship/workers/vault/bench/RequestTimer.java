package io.seedship.workers.vault.bench;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Counts and times the blob requests of a benchmark step by kind (method + {@code comp}/{@code restype} of the query):
 * request count, summed latency until the response headers, status codes 4xx. Only names and figures, never URLs
 * with their query (a SAS would be in it) or headers.
 */
final class RequestTimer implements HttpPipelinePolicy {

  private final Map<String, long[]> byKind = new TreeMap<>();
  private volatile Supplier<String> step = () -> "";

  /** Requests are counted under the step this names when they are sent (e.g. the operation's current step). */
  void attributeTo(Supplier<String> current) {
    step = current;
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    String prefix = step.get();
    String kind = (prefix == null || prefix.isEmpty() ? "" : prefix + ":") + kind(context.getHttpRequest().getHttpMethod().toString(), context.getHttpRequest().getUrl().getQuery());
    long start = System.nanoTime();
    return next.process().doOnNext(response -> add(kind, System.nanoTime() - start, response.getStatusCode()));
  }

  private synchronized void add(String kind, long nanos, int status) {
    long[] figures = byKind.computeIfAbsent(kind, k -> new long[3]);
    figures[0]++;
    figures[1] += nanos;
    if (status >= 400) {
      figures[2]++;
    }
  }

  private static String kind(String method, String query) {
    String kind = method;
    if (query != null) {
      for (String part : query.split("&")) {
        if (part.startsWith("comp=") || part.startsWith("restype=")) {
          kind += "-" + part.substring(part.indexOf('=') + 1);
        }
      }
    }
    return kind.toLowerCase(Locale.ROOT);
  }

  /** {@code kind=count/seconds[/failed]} ... and the total. */
  synchronized String summary() {
    StringBuilder line = new StringBuilder();
    long count = 0;
    long nanos = 0;
    for (Map.Entry<String, long[]> e : byKind.entrySet()) {
      long[] f = e.getValue();
      line.append(String.format(Locale.ROOT, " %s=%d/%.2fs%s", e.getKey(), f[0], f[1] / 1e9, f[2] > 0 ? "/" + f[2] + "x4xx" : ""));
      count += f[0];
      nanos += f[1];
    }
    return String.format(Locale.ROOT, "requests=%d request-s=%.2f", count, nanos / 1e9) + line;
  }

  synchronized void reset() {
    byKind.clear();
  }
}
