/**
 * A small document model shared by the Markdown and plain-text renderers: a title and ordered
 * sections, each made of paragraphs, bullet lists, label/value fields and tables.
 */

export type Block =
  | { kind: "paragraph"; text: string }
  | { kind: "list"; items: string[] }
  | { kind: "fields"; rows: Field[] }
  | { kind: "table"; columns: string[]; rows: string[][] };

export interface Field {
  label: string;
  value: string;
}

export interface Section {
  heading: string;
  blocks: Block[];
}

export interface RenderModel {
  kind: "handoff" | "validation-request";
  title: string;
  sections: Section[];
}

export function paragraph(text: string): Block {
  return { kind: "paragraph", text };
}

export function list(items: string[]): Block {
  return { kind: "list", items };
}

export function fields(rows: Field[]): Block {
  return { kind: "fields", rows };
}

export function table(columns: string[], rows: string[][]): Block {
  return { kind: "table", columns, rows };
}
