/**
 * An ingest worker thread: takes the next input no other worker has taken (within the read-ahead
 * the main thread allows), reads, hashes, parses and encodes it, and sends the outcome back (the
 * encoded findings are moved, not copied). Ends when every input is taken.
 */
import { parentPort, workerData } from "node:worker_threads";
import { isPatchlineError } from "../errors.js";
import type { FeedFormat } from "../ingest/types.js";
import type { WorkerReply, WorkerSetup } from "./ingest-pool.js";
import { type ReadOptions, type ReadOutcome, readInput } from "./ingest-read.js";

const setup = workerData as WorkerSetup;
const known = new Map(setup.known);
const counters = new Int32Array(setup.counters);
const port = parentPort;
if (!port) throw new Error("the ingest worker runs as a worker thread");

const options: ReadOptions = {
  knownFormat: (sha256) => known.get(sha256),
  scansOnly: true,
  blocking: true,
  // A big report is parsed on the main thread, one at a time: two of them at once in two workers
  // would need twice the memory.
  maxBytes: 32 * 1024 * 1024,
  ...(setup.format ? { format: setup.format as FeedFormat } : {}),
};

function transfers(outcome: ReadOutcome): ArrayBuffer[] {
  if (outcome.kind !== "scan") return [];
  return outcome.scan.coverage.map((c) => c.blob.buffer as ArrayBuffer);
}

async function one(index: number, path: string, file: string): Promise<void> {
  let reply: WorkerReply;
  let moved: ArrayBuffer[] = [];
  try {
    const outcome = await readInput(path, file, options);
    if (outcome.kind === "failed") {
      const { code, message, place, details } = outcome.error;
      reply = { index, error: { code, message, place, ...(details ? { details } : {}) } };
    } else {
      reply = { index, outcome };
      moved = transfers(outcome);
    }
  } catch (error) {
    const text = isPatchlineError(error)
      ? error.oneLine()
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
    reply = { index, crash: text };
  }
  port?.postMessage(reply, moved);
}

async function main(): Promise<void> {
  for (;;) {
    const index = Atomics.add(counters, 0, 1);
    const input = setup.inputs[index];
    if (!input) return;
    // Wait until the main thread has room for this input.
    for (let limit = Atomics.load(counters, 1); index >= limit; limit = Atomics.load(counters, 1)) {
      Atomics.wait(counters, 1, limit);
    }
    await one(index, input.path, input.name);
  }
}

await main();
