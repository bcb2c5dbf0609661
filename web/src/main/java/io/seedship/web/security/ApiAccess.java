package io.seedship.web.security;

import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * Who may use Seedship's own API. The request was authenticated by the engine's HTTP Basic filter, which
 * left the user and groups on the identity service; engine calls made for the request are checked against
 * Camunda's authorizations, reads of Seedship's tables against these groups.
 */
@Component
public class ApiAccess {

  private static final Set<String> READERS = Set.of(SeedshipGroups.ADMINS, SeedshipGroups.OPERATORS, SeedshipGroups.MANAGERS,
      SeedshipGroups.API_CLIENTS);
  private static final Set<String> WRITERS = Set.of(SeedshipGroups.ADMINS, SeedshipGroups.OPERATORS, SeedshipGroups.API_CLIENTS);

  private final IdentityService identity;

  ApiAccess(IdentityService identity) {
    this.identity = identity;
  }

  public void requireRead() {
    require(READERS, "read seedings");
  }

  public void requireWrite() {
    require(WRITERS, "start or change seedings");
  }

  private void require(Set<String> allowed, String what) {
    Authentication current = identity.getCurrentAuthentication();
    List<String> groups = current == null || current.getGroupIds() == null ? List.of() : current.getGroupIds();
    if (groups.stream().noneMatch(allowed::contains)) {
      throw new ApiAccessDeniedException("User '" + (current == null ? "?" : current.getUserId()) + "' may not " + what
          + ": it needs to be in one of the groups " + String.join(", ", allowed.stream().sorted().toList()) + ".");
    }
  }
}
