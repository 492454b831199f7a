import { pino } from "pino";

/** Diagnostics go to stderr so stdout stays clean for data (`--json`). */
export const log = pino(
  { name: "patchline", level: process.env.PATCHLINE_LOG_LEVEL ?? "warn" },
  pino.destination({ fd: 2, sync: true }),
);
