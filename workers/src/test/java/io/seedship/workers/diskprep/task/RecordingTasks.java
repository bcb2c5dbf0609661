package io.seedship.workers.diskprep.task;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;

/** A fetched external task and a task service that records the handler's calls, as the Camunda client hands them over. */
final class RecordingTasks {

  record Call(String method, List<Object> arguments) {
    Object argument(int index) {
      return arguments.get(index);
    }
  }

  private RecordingTasks() {
  }

  static ExternalTask task(String id, Map<String, Object> variables) {
    return (ExternalTask) Proxy.newProxyInstance(ExternalTask.class.getClassLoader(), new Class<?>[] {ExternalTask.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getId" -> id;
          case "getRetries" -> null;
          case "getVariable" -> variables.get((String) args[0]);
          case "getAllVariables" -> variables;
          case "getTopicName" -> "disk-prep-copy";
          case "toString" -> "ExternalTask(" + id + ")";
          case "hashCode" -> id.hashCode();
          case "equals" -> proxy == args[0];
          default -> null;
        });
  }

  static ExternalTaskService service(List<Call> calls) {
    return (ExternalTaskService) Proxy.newProxyInstance(ExternalTaskService.class.getClassLoader(),
        new Class<?>[] {ExternalTaskService.class}, (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.getName().equals("toString") ? "RecordingService" : method.getName().equals("hashCode") ? 1 : proxy == args[0];
          }
          calls.add(new Call(method.getName(), args == null ? List.of() : new ArrayList<>(Arrays.asList(args))));
          return null;
        });
  }
}
