package io.seedship.workers.staging;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;

/** A fetched external task and a recording task service, as the Camunda client would hand them to a handler. */
final class FakeExternalTasks {

  /** One call the handler made on the task service. */
  record Call(String method, List<Object> arguments) {
    Object argument(int index) {
      return arguments.get(index);
    }
  }

  private FakeExternalTasks() {
  }

  static ExternalTask task(String id, Integer retries, Map<String, Object> variables) {
    return (ExternalTask) Proxy.newProxyInstance(ExternalTask.class.getClassLoader(), new Class<?>[] {ExternalTask.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getId" -> id;
          case "getRetries" -> retries;
          case "getVariable" -> variables.get((String) args[0]);
          case "getAllVariables" -> variables;
          case "getTopicName" -> "staging-backup";
          case "toString" -> "ExternalTask(" + id + ")";
          case "hashCode" -> id.hashCode();
          case "equals" -> proxy == args[0];
          default -> null;
        });
  }

  static ExternalTaskService recordingService(List<Call> calls) {
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
