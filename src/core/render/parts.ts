/** Sections the handoff and the validation request share: scope, owners, caveats, next update. */
import type { WorkItem } from "../types.js";
import { type Block, fields, list, paragraph, type Section, table } from "./model.js";
import { NOT_PROVIDED } from "./sections.js";
import {
  bothTimes,
  CHECKPOINT_LABELS,
  joinOrNotProvided,
  nextCheckpoint,
  ownerText,
  ROLE_DUTIES,
  ROLE_LABELS,
  resolveOwnerName,
  sortedCadence,
  timeText,
} from "./words.js";

export function scopeSection(item: WorkItem, heading: string): Section {
  const a = item.advisory;
  const aliases = a.aliases.filter((x) => x !== a.id);
  const blocks: Block[] = [
    fields([
      {
        label: "Advisory",
        value: `${a.id}${aliases.length > 0 ? ` (also ${aliases.join(", ")})` : ""}${a.title ? ` — ${a.title}` : ""}`,
      },
      { label: "Vendor", value: a.vendor || NOT_PROVIDED },
      { label: "Product", value: a.product || NOT_PROVIDED },
      { label: "Component", value: a.component ?? "none named by the sources" },
      { label: "Affected versions", value: joinOrNotProvided(a.affectedVersions) },
      { label: "Asset group", value: item.assetGroup || NOT_PROVIDED },
      { label: "Environments", value: joinOrNotProvided(item.environments, ", ") },
      { label: "Business services", value: joinOrNotProvided(item.businessServices, ", ") },
    ]),
  ];
  if (item.assets.length > 0) {
    blocks.push(
      table(
        ["Asset", "Environment", "Exposure", "Roles", "Criticality", "Installed", "Status"],
        item.assets.map((asset) => [
          asset.name,
          asset.environment,
          asset.exposure,
          asset.roles.length > 0 ? asset.roles.join(", ") : "none",
          asset.criticality,
          asset.installed ?? "not reported",
          asset.reason ? `${asset.status} (${asset.reason.replace(/^[a-z_]+: /, "")})` : asset.status,
        ]),
      ),
    );
  } else {
    blocks.push(paragraph("Assets: none listed."));
  }
  return { heading, blocks };
}

export function ownersSection(item: WorkItem, heading: string): Section {
  const row = (role: keyof typeof ROLE_LABELS, owner: WorkItem["owner"] | undefined) => ({
    label: `${ROLE_LABELS[role]} (${ROLE_DUTIES[role]})`,
    value: ownerText(owner),
  });
  return {
    heading,
    blocks: [
      fields([
        row("security", item.securityOwner),
        row("system-owner", item.owner),
        row("service-owner", item.serviceOwner),
        row("governance", item.governanceOwner),
      ]),
    ],
  };
}

export function caveatsSection(item: WorkItem, heading: string): Section {
  const lines = [...item.caveats.filter((c) => c.trim() !== "")];
  for (const asset of item.assets) {
    if (asset.status === "unknown" && !lines.some((l) => l.includes(asset.name))) {
      lines.push(`${asset.name}: affected status unknown${asset.reason ? ` — ${asset.reason}` : ""}`);
    }
  }
  return { heading, blocks: [lines.length > 0 ? list(lines) : paragraph("None recorded.")] };
}

export function nextUpdateSection(item: WorkItem, heading: string): Section {
  const next = nextCheckpoint(item);
  if (!next) {
    return { heading, blocks: [paragraph(`Next update: ${NOT_PROVIDED} — the plan carries no cadence.`)] };
  }
  const escalate = resolveOwnerName(item, next.escalateTo);
  const from = item.owner.name;
  const lead =
    `${CHECKPOINT_LABELS[next.kind]} from ${from} by ${bothTimes(next.due, next.zone)}` +
    (escalate ? `; if it is missed, security escalates to ${escalate}.` : ".");
  const rows = sortedCadence(item).map((c) => {
    const t = timeText(c.due, c.zone);
    return [CHECKPOINT_LABELS[c.kind], t.local, t.utc, resolveOwnerName(item, c.escalateTo) ?? "security"];
  });
  return {
    heading,
    blocks: [
      paragraph(lead),
      table(["Checkpoint", "Due (recipient zone)", "Due (UTC)", "If missed, escalate to"], rows),
    ],
  };
}
