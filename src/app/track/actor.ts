import type { Policy } from "../../core/policy/types.js";
import type { FunctionalRole, Owner } from "../../core/types.js";
import { PatchlineError } from "../../errors.js";

const ROLES: readonly FunctionalRole[] = [
  "security",
  "system-owner",
  "service-owner",
  "governance",
  "leadership",
];

export interface Actor {
  id: string;
  name: string;
  role: FunctionalRole;
}

/**
 * Who is acting, and in which role: the actor must be in the owners directory and hold the role
 * (given with --role, or the command's usual role when the actor holds it).
 */
export function resolveActor(
  owners: readonly Owner[],
  actorId: string | undefined,
  role: string | undefined,
  usual: readonly FunctionalRole[],
): Actor {
  if (!actorId) {
    throw new PatchlineError("USAGE", "say who is acting: --as OWNER_ID (or set PATCHLINE_ACTOR)");
  }
  const owner = owners.find((o) => o.id.toLowerCase() === actorId.toLowerCase());
  if (!owner) {
    throw new PatchlineError(
      "NOT_FOUND",
      `'${actorId}' is not in the owners directory; import it with patchline ingest`,
    );
  }
  if (role !== undefined) {
    if (!ROLES.includes(role as FunctionalRole)) {
      throw new PatchlineError("USAGE", `--role must be one of ${ROLES.join(", ")}; got '${role}'`);
    }
    if (!owner.roles.includes(role as FunctionalRole)) {
      throw new PatchlineError(
        "FORBIDDEN_ROLE",
        `${owner.name} (${owner.id}) does not hold the role ${role} in the owners directory (holds: ${owner.roles.join(", ") || "none"})`,
      );
    }
    return { id: owner.id, name: owner.name, role: role as FunctionalRole };
  }
  const held = usual.find((r) => owner.roles.includes(r));
  if (!held) {
    throw new PatchlineError(
      "FORBIDDEN_ROLE",
      `this action is for ${usual.join(" or ")}; ${owner.name} (${owner.id}) holds ${owner.roles.join(", ") || "no role"}`,
    );
  }
  return { id: owner.id, name: owner.name, role: held };
}

/** Who sends handoffs when nobody says: the policy's security owner, else the first security owner. */
export function securityActor(owners: readonly Owner[], policy: Policy): string {
  return policy.roleOwners.security ?? owners.find((o) => o.roles.includes("security"))?.id ?? "patchline";
}
