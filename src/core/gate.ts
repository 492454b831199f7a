/**
 * The readiness gate (the seed's rule): a patch-now order needs affected scope, fixed version,
 * urgency, deadline, testing expectations, rollback path and closure evidence; a patch-window item
 * needs scope, fixed version and closure evidence. Whatever is missing is named with the role that
 * must supply it; any gap turns the item into a validation request.
 */
import type { Policy } from "./policy/types.js";
import type {
  ChangeProfile,
  Deadline,
  FunctionalRole,
  GateField,
  Lane,
  MissingField,
  OwnerRef,
  UrgencyTrigger,
  WorkItemAsset,
} from "./types.js";

/** What the gate looks at: a work item before its lane is final. */
export interface GateDraft {
  /** The lane the rules proposed. */
  lane: Lane;
  advisoryId: string;
  /** "Palo Alto Networks PAN-OS". */
  product: string;
  affectedVersions: string[];
  assetGroup: string;
  assets: WorkItemAsset[];
  owner?: OwnerRef;
  serviceOwner?: OwnerRef;
  securityOwner?: OwnerRef;
  fixedVersion?: string;
  /** Ids of affected assets for which no fixed version is known. */
  assetsWithoutFix: string[];
  triggers: UrgencyTrigger[];
  deadline: Deadline | null;
  change: ChangeProfile;
  /** Change fields whose value came from policy defaults, not the asset group's profile. */
  changeFromPolicy: (keyof ChangeProfile)[];
  closureEvidence: string[];
}

export const GATE_FIELDS: Partial<Record<Lane, GateField[]>> = {
  "patch-now": ["scope", "fixedVersion", "urgency", "deadline", "testing", "rollback", "closureEvidence"],
  "patch-window": ["scope", "fixedVersion", "closureEvidence"],
  // A validation request is itself the answer to a gap: it lists the scope facts to confirm.
  validate: ["scope"],
};

function list(names: string[]): string {
  return names.length > 5 ? `${names.slice(0, 5).join(", ")} and ${names.length - 5} more` : names.join(", ");
}

function supplierOf(draft: GateDraft, role: FunctionalRole): string | undefined {
  if (role === "system-owner") return draft.owner?.id || undefined;
  if (role === "service-owner") return draft.serviceOwner?.id;
  if (role === "security") return draft.securityOwner?.id;
  return undefined;
}

function fromProfile(draft: GateDraft, field: "testing" | "rollback", policy: Policy): boolean {
  const value = draft.change[field];
  if (!value || value.trim() === "") return false;
  return !draft.changeFromPolicy.includes(field) || policy.gateAcceptsPolicyDefaults;
}

/** Every gap for the proposed lane; empty when the item is ready. Lanes without a gate pass. */
export function readinessGate(draft: GateDraft, policy: Policy): MissingField[] {
  const fields = GATE_FIELDS[draft.lane] ?? [];
  const out: MissingField[] = [];
  const add = (field: GateField, detail: string, supplier: FunctionalRole) => {
    const m: MissingField = { field, detail, supplier };
    const owner = supplierOf(draft, supplier);
    if (owner) m.supplierOwner = owner;
    out.push(m);
  };
  const product = draft.product || draft.advisoryId;
  const affected = draft.assets.filter((a) => a.status === "affected");

  for (const field of fields) {
    switch (field) {
      case "scope": {
        if (affected.length === 0) {
          const byReason = new Map<string, string[]>();
          for (const a of draft.assets) {
            const reason = a.reason.replace(/^unknown: /, "");
            byReason.set(reason, [...(byReason.get(reason) ?? []), a.name || a.id]);
          }
          for (const [reason, assets] of byReason) {
            add(
              "scope",
              `Confirm whether ${list(assets)} ${assets.length === 1 ? "runs" : "run"} an affected version of ${product}: ${reason}. State the installed version, build and whether the vulnerable feature is in use.`,
              "system-owner",
            );
          }
          if (draft.assets.length === 0) add("scope", `No assets are in scope for ${product}.`, "security");
        }
        if (!draft.owner || draft.owner.id.trim() === "") {
          add(
            "scope",
            `No system owner is recorded for asset group ${draft.assetGroup}: name who executes the change.`,
            "security",
          );
        }
        if (product === draft.advisoryId || draft.affectedVersions.length === 0) {
          add(
            "scope",
            `The affected product and version ranges of ${draft.advisoryId} are not stated.`,
            "security",
          );
        }
        break;
      }
      case "fixedVersion": {
        const lacking = draft.fixedVersion ? draft.assetsWithoutFix : affected.map((a) => a.id);
        if (!draft.fixedVersion || lacking.length > 0) {
          const names = affected
            .filter((a) => lacking.includes(a.id))
            .map((a) => `${a.name} (${a.installed ?? "version not recorded"})`);
          add(
            "fixedVersion",
            `No fixed version of ${product} is known for ${list(names) || "the assets in scope"}: confirm which release fixes it and that it applies to these assets.`,
            "system-owner",
          );
        }
        break;
      }
      case "urgency":
        if (draft.triggers.length === 0) {
          add(
            "urgency",
            "No urgency trigger is recorded (KEV, exploitation, EPSS, exposure, role or criticality).",
            "security",
          );
        }
        break;
      case "deadline":
        if (draft.deadline === null) {
          add("deadline", "No concrete deadline could be set from the policy for this item.", "security");
        }
        break;
      case "testing":
        if (!fromProfile(draft, "testing", policy)) {
          add(
            "testing",
            `Testing expectations for asset group ${draft.assetGroup} (what to test after patching and who signs off).`,
            "system-owner",
          );
        }
        break;
      case "rollback":
        if (!fromProfile(draft, "rollback", policy)) {
          add(
            "rollback",
            `Rollback plan for asset group ${draft.assetGroup} (how to return to the current version if the patch fails).`,
            "system-owner",
          );
        }
        break;
      case "closureEvidence":
        if (draft.closureEvidence.length === 0) {
          add(
            "closureEvidence",
            `The policy names no closure evidence for lane ${draft.lane}: state what proof closes this item.`,
            "security",
          );
        }
        break;
    }
  }
  return out;
}
