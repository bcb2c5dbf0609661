package io.seedship.web.security;

import static io.seedship.web.security.SeedshipGroups.*;
import static org.camunda.bpm.engine.authorization.Authorization.ANY;
import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT;

import io.seedship.processes.SeedingProcess;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.ProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.authorization.TaskPermissions;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.spring.boot.starter.util.SpringBootProcessEnginePlugin;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Groups, their authorizations and the operators' Tasklist filter, in every profile (users are not: see
 * {@link DemoUsers}). Idempotent: a restart finds what it made and leaves it alone.
 */
@Component
@Order(0) // before DemoUsers, which joins users to these groups
class SecurityBaseline extends SpringBootProcessEnginePlugin {

  static final String OPERATOR_FILTER = "Seedship tasks";

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    IdentityService identity = engine.getIdentityService();
    group(identity, ADMINS, "Camunda administrators", "SYSTEM");
    group(identity, OPERATORS, "Seedship operators", "WORKFLOW");
    group(identity, MANAGERS, "Seedship managers", "WORKFLOW");
    group(identity, API_CLIENTS, "Seedship API clients", "SYSTEM");
    group(identity, WORKERS, "Seedship workers", "SYSTEM");

    AuthorizationService authorizations = engine.getAuthorizationService();
    Grants grants = new Grants(authorizations);
    String seeding = SeedingProcess.KEY;

    grants.grant(OPERATORS, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
    // UPDATE_INSTANCE: operators also submit shipping details and cancel through Seedship's API (messages)
    grants.grant(OPERATORS, Resources.PROCESS_DEFINITION, seeding, ProcessDefinitionPermissions.READ,
        ProcessDefinitionPermissions.CREATE_INSTANCE, ProcessDefinitionPermissions.READ_INSTANCE,
        ProcessDefinitionPermissions.UPDATE_INSTANCE, ProcessDefinitionPermissions.READ_TASK, ProcessDefinitionPermissions.UPDATE_TASK,
        ProcessDefinitionPermissions.READ_HISTORY);
    grants.grant(OPERATORS, Resources.PROCESS_INSTANCE, ANY, ProcessInstancePermissions.CREATE, ProcessInstancePermissions.READ);
    grants.grant(OPERATORS, Resources.TASK, ANY, TaskPermissions.READ, TaskPermissions.UPDATE, TaskPermissions.TASK_WORK);

    grants.grant(MANAGERS, Resources.APPLICATION, "cockpit", Permissions.ACCESS);
    grants.grant(MANAGERS, Resources.PROCESS_DEFINITION, ANY, ProcessDefinitionPermissions.READ,
        ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY, ProcessDefinitionPermissions.READ_TASK);
    grants.grant(MANAGERS, Resources.PROCESS_INSTANCE, ANY, ProcessInstancePermissions.READ);
    grants.grant(MANAGERS, Resources.TASK, ANY, TaskPermissions.READ);
    grants.grant(MANAGERS, Resources.DEPLOYMENT, ANY, Permissions.READ);

    grants.grant(API_CLIENTS, Resources.PROCESS_DEFINITION, seeding, ProcessDefinitionPermissions.READ,
        ProcessDefinitionPermissions.CREATE_INSTANCE, ProcessDefinitionPermissions.READ_INSTANCE,
        ProcessDefinitionPermissions.UPDATE_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY);
    grants.grant(API_CLIENTS, Resources.PROCESS_INSTANCE, ANY, ProcessInstancePermissions.CREATE,
        ProcessInstancePermissions.READ, ProcessInstancePermissions.UPDATE);

    grants.grant(WORKERS, Resources.PROCESS_DEFINITION, ANY, ProcessDefinitionPermissions.READ,
        ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.UPDATE_INSTANCE);
    grants.grant(WORKERS, Resources.PROCESS_INSTANCE, ANY, ProcessInstancePermissions.READ, ProcessInstancePermissions.UPDATE);

    Filter filter = operatorFilter(engine.getFilterService(), engine);
    grants.grant(OPERATORS, Resources.FILTER, filter.getId(), Permissions.READ);
  }

  private static void group(IdentityService identity, String id, String name, String type) {
    if (identity.createGroupQuery().groupId(id).count() == 0) {
      Group group = identity.newGroup(id);
      group.setName(name);
      group.setType(type);
      identity.saveGroup(group);
    }
  }

  private static Filter operatorFilter(FilterService filters, ProcessEngine engine) {
    Filter existing = filters.createFilterQuery().filterName(OPERATOR_FILTER).singleResult();
    if (existing != null) {
      return existing;
    }
    Filter filter = filters.newTaskFilter(OPERATOR_FILTER)
        .setQuery(engine.getTaskService().createTaskQuery().taskCandidateGroupIn(List.of(OPERATORS)).includeAssignedTasks())
        .setProperties(Map.of("description", "Tasks of the offline-seeding lifecycle for operators", "priority", -10,
            "refresh", true));
    return filters.saveFilter(filter);
  }

  /** Creates a group grant once; a grant that exists is kept as an administrator may have changed it. */
  private record Grants(AuthorizationService service) {

    void grant(String groupId, Resource resource, String resourceId, Permission... permissions) {
      boolean exists = service.createAuthorizationQuery().groupIdIn(groupId).resourceType(resource).resourceId(resourceId).count() > 0;
      if (exists) {
        return;
      }
      Authorization authorization = service.createNewAuthorization(AUTH_TYPE_GRANT);
      authorization.setGroupId(groupId);
      authorization.setResource(resource);
      authorization.setResourceId(resourceId);
      for (Permission permission : permissions) {
        authorization.addPermission(permission);
      }
      service.saveAuthorization(authorization);
    }
  }
}
