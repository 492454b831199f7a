/**
 * Plain-text output for e-mail and tickets: the title underlined with "=", each heading in capitals
 * underlined with "-", fields as "Label: value", tables as one bullet per row.
 */
import type { Block, RenderModel } from "./model.js";

function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, " ").trim();
}

function underline(text: string, char: string): string {
  return `${text}\n${char.repeat(Math.max(3, [...text].length))}`;
}

function block(b: Block): string {
  switch (b.kind) {
    case "paragraph":
      return oneLine(b.text);
    case "list":
      return b.items.map((item) => `- ${oneLine(item)}`).join("\n");
    case "fields":
      return b.rows.map((r) => `${oneLine(r.label)}: ${oneLine(r.value)}`).join("\n");
    case "table":
      return b.rows
        .map((row) => {
          const [first, ...rest] = row;
          const details = rest.map(
            (cell, i) => `${(b.columns[i + 1] ?? "").toLowerCase()}: ${oneLine(cell)}`,
          );
          return `- ${oneLine(first ?? "")} — ${details.join("; ")}`;
        })
        .join("\n");
  }
}

export function renderText(model: RenderModel): string {
  const parts = [underline(oneLine(model.title), "=")];
  for (const section of model.sections) {
    parts.push(underline(section.heading.toUpperCase(), "-"));
    for (const b of section.blocks) parts.push(block(b));
  }
  return `${parts.join("\n\n")}\n`;
}
