/** Markdown output: "# title", "## Heading" per section, bullet fields and pipe tables. */
import type { Block, RenderModel } from "./model.js";

/** Table cells stay on one line and never break the pipe layout. */
export function escapeCell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|").trim();
}

/** Keeps a value from being read as a heading or list marker at the start of a line. */
function inline(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/^([#>])/, "\\$1");
}

function block(b: Block): string {
  switch (b.kind) {
    case "paragraph":
      return inline(b.text);
    case "list":
      return b.items.map((item) => `- ${inline(item)}`).join("\n");
    case "fields":
      return b.rows.map((r) => `- **${inline(r.label)}:** ${inline(r.value)}`).join("\n");
    case "table": {
      const head = `| ${b.columns.map(escapeCell).join(" | ")} |`;
      const rule = `|${b.columns.map(() => " --- |").join("")}`;
      const rows = b.rows.map((row) => `| ${row.map(escapeCell).join(" | ")} |`);
      return [head, rule, ...rows].join("\n");
    }
  }
}

export function renderMarkdown(model: RenderModel): string {
  const parts = [`# ${inline(model.title)}`];
  for (const section of model.sections) {
    parts.push(`## ${section.heading}`);
    for (const b of section.blocks) parts.push(block(b));
  }
  return `${parts.join("\n\n")}\n`;
}
