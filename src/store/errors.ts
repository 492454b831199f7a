/**
 * Turning driver errors into PatchlineError("DATABASE_ERROR") with a message a user can act on.
 */
import { type ErrorPlace, isPatchlineError, PatchlineError } from "../errors.js";

interface DriverError {
  message?: string;
  code?: string;
  detail?: string;
  errors?: unknown[];
}

const MAX_MESSAGE = 400;

function asDriverError(e: unknown): DriverError {
  return typeof e === "object" && e !== null ? (e as DriverError) : { message: String(e) };
}

/** The driver's own message, with the PostgreSQL detail line when there is one. */
export function driverMessage(e: unknown): string {
  const d = asDriverError(e);
  let message = d.message ?? "";
  if (!message && Array.isArray(d.errors)) {
    message = d.errors.map((x) => asDriverError(x).message ?? "").find((m) => m) ?? "";
  }
  if (!message) message = d.code ?? "unknown error";
  // PostgreSQL's "Failing row contains (…)" repeats whole documents: too long to be useful.
  if (d.detail && !d.detail.startsWith("Failing row contains")) message = `${message} (${d.detail})`;
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
}

export function driverCode(e: unknown): string | undefined {
  const d = asDriverError(e);
  if (d.code) return d.code;
  if (Array.isArray(d.errors)) return d.errors.map((x) => asDriverError(x).code).find((c) => c);
  return undefined;
}

/** Wraps anything that is not already a PatchlineError: "<what>: <driver message>". */
export function databaseError(what: string, e: unknown, place: ErrorPlace = {}): PatchlineError {
  if (isPatchlineError(e)) return e;
  const code = driverCode(e);
  return new PatchlineError(
    "DATABASE_ERROR",
    `${what}: ${driverMessage(e)}`,
    place,
    code ? { driverCode: code } : undefined,
  );
}

/** Runs an operation and rethrows driver failures as DATABASE_ERROR. */
export async function guard<T>(what: string, fn: () => Promise<T>, place: ErrorPlace = {}): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw databaseError(what, e, place);
  }
}
