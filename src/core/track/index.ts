/** The remediation tracker's pure core: state machine, time, due checkpoints, progress, hashing. */
export * from "./clock.js";
export * from "./due.js";
export * from "./evidence.js";
export * from "./hash.js";
export * from "./machine.js";
export * from "./payload.js";
export * from "./progress.js";
export * from "./rules.js";
export * from "./types.js";
