/** Python (PEP 440) ordering with @renovatebot/pep440; null when either version is not PEP 440. */
import { compare, valid } from "@renovatebot/pep440";

export function comparePep440(a: string, b: string): number | null {
  if (valid(a.trim()) === null || valid(b.trim()) === null) return null;
  const c = compare(a.trim(), b.trim());
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}
