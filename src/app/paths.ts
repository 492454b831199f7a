import { fileURLToPath } from "node:url";

/** The installed package's root (works from src/ under the test runner and from dist/). */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function packagePath(...parts: string[]): string {
  return [PACKAGE_ROOT.replace(/\/$/, ""), ...parts].join("/");
}
