package io.seedship.workers.testing;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;

/** A fetched external task and a recording task service, as the Camunda client would hand them to a handler. */
public final class FakeExternalTasks {

  /** One call the handler made on the task service. */
  public record Call(String method, List<Object> arguments) {
    public Object argument(int index) {
      return arguments.get(index);
    }
  }

  private FakeExternalTasks() {
  }

  /** A task of {@code topic}; its business key is the {@code seedingId} variable, as in the model. */
  public static ExternalTask task(String topic, String id, Integer retries, Map<String, Object> variables) {
    return (ExternalTask) Proxy.newProxyInstance(ExternalTask.class.getClassLoader(), new Class<?>[] {ExternalTask.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getId" -> id;
          case "getRetries" -> retries;
          case "getVariable" -> variables.get((String) args[0]);
          case "getAllVariables" -> variables;
          case "getTopicName" -> topic;
          case "getBusinessKey" -> variables.get("seedingId");
          case "getWorkerId" -> "worker-1";
          case "toString" -> "ExternalTask(" + id + ")";
          case "hashCode" -> id.hashCode();
          case "equals" -> proxy == args[0];
          default -> null;
        });
  }

  /** Records every call in {@code calls} (handlers may call from their own threads). */
  public static ExternalTaskService recordingService(List<Call> calls) {
    return (ExternalTaskService) Proxy.newProxyInstance(ExternalTaskService.class.getClassLoader(),
        new Class<?>[] {ExternalTaskService.class}, (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.getName().equals("toString") ? "RecordingService" : method.getName().equals("hashCode") ? 1 : proxy == args[0];
          }
          synchronized (calls) {
            calls.add(new Call(method.getName(), args == null ? List.of() : new ArrayList<>(Arrays.asList(args))));
          }
          return null;
        });
  }
}
