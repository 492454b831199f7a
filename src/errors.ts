/**
 * One error taxonomy. Every failure a user can cause carries a stable code; the CLI maps the code
 * to an exit status once, the API to a problem+json status once.
 */

export type ErrorCode =
  | "INPUT_NOT_FOUND"
  | "INPUT_UNREADABLE"
  | "FORMAT_UNKNOWN"
  | "PARSE_ERROR"
  | "VALIDATION_ERROR"
  | "POLICY_INVALID"
  | "NOT_FOUND"
  | "CONFLICT"
  | "ILLEGAL_TRANSITION"
  | "FORBIDDEN_ROLE"
  | "LINT_FAILED"
  | "DATABASE_ERROR"
  | "USAGE";

export interface ErrorPlace {
  /** The file, as the user named it. */
  file?: string;
  /** 1-based line (CSV row, text line) when known. */
  line?: number;
  column?: number;
  /** JSON pointer or dotted path inside the document: "/vulnerabilities/12/dueDate". */
  path?: string;
}

export class PatchlineError extends Error {
  readonly code: ErrorCode;
  readonly place: ErrorPlace;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, place: ErrorPlace = {}, details?: Record<string, unknown>) {
    super(message);
    this.name = "PatchlineError";
    this.code = code;
    this.place = place;
    this.details = details;
  }

  /** One line: "file:line: message" or "file at /path: message". */
  oneLine(): string {
    const { file, line, column, path } = this.place;
    let where = file ?? "";
    if (line !== undefined)
      where += `${where ? ":" : "line "}${line}${column !== undefined ? `:${column}` : ""}`;
    if (path !== undefined) where += `${where ? " at " : "at "}${path}`;
    return where ? `${where}: ${this.message}` : this.message;
  }
}

export const EXIT_CODES: Record<ErrorCode, number> = {
  INPUT_NOT_FOUND: 66,
  INPUT_UNREADABLE: 66,
  FORMAT_UNKNOWN: 65,
  PARSE_ERROR: 65,
  VALIDATION_ERROR: 65,
  POLICY_INVALID: 78,
  NOT_FOUND: 4,
  CONFLICT: 75,
  ILLEGAL_TRANSITION: 3,
  FORBIDDEN_ROLE: 77,
  LINT_FAILED: 1,
  DATABASE_ERROR: 70,
  USAGE: 64,
};

export const HTTP_STATUS: Record<ErrorCode, number> = {
  INPUT_NOT_FOUND: 404,
  INPUT_UNREADABLE: 400,
  FORMAT_UNKNOWN: 415,
  PARSE_ERROR: 422,
  VALIDATION_ERROR: 422,
  POLICY_INVALID: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ILLEGAL_TRANSITION: 409,
  FORBIDDEN_ROLE: 403,
  LINT_FAILED: 422,
  DATABASE_ERROR: 500,
  USAGE: 400,
};

export function isPatchlineError(e: unknown): e is PatchlineError {
  return e instanceof PatchlineError;
}
