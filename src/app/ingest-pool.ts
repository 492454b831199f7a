/**
 * Reads ingest's input files ahead of the writes. With many files, worker threads read, hash, parse
 * and encode the scanner reports while the main thread writes the ones before them; results are
 * handed over in file order, and only a bounded number of files are read ahead. Files that are not
 * scanner reports are left to the main thread.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type ErrorCode, type ErrorPlace, PatchlineError } from "../errors.js";
import type { Store } from "../store/index.js";
import type { EncodedScan } from "../store/scan-encode.js";
import { type ReadOptions, type ReadOutcome, readInput } from "./ingest-read.js";

export interface Reader {
  /** The outcome for inputs[index]; call with increasing indexes. */
  read(index: number): Promise<ReadOutcome>;
  /** The outcome for inputs[index] if it is already there (read ahead), without taking it. */
  peek(index: number): ReadOutcome | undefined;
  close(): Promise<void>;
}

/** Below this many files, threads cost more to start than they save. */
const MIN_FILES_FOR_WORKERS = 16;
const MAX_AUTO_WORKERS = 4;
/**
 * How many files the workers may read beyond the one being written: enough to keep them busy while
 * the main thread writes a whole group, few enough that what waits stays small.
 */
const READ_AHEAD = 512;
/**
 * Items (findings, SBOM components, other items) read ahead and not yet taken by the main thread
 * beyond which the workers wait: a few large SBOMs hold as much as many small reports.
 */
const MAX_PENDING_ITEMS = 100_000;

/** How much a report holds in memory until written: its findings, components and other items. */
export function weightOf(scan: EncodedScan): number {
  return scan.findings + scan.head.components.length + scan.head.other.length;
}

/** What each worker script receives at start. */
export interface WorkerSetup {
  format?: string;
  /** sha256 → format of every scanner report in the store when the run began. */
  known: [string, string][];
  inputs: { path: string; name: string }[];
  /**
   * Shared counters: [0] the next input to take (each worker takes the next free one), [1] the
   * first input no worker may start yet (moved on by the main thread as it consumes results).
   */
  counters: SharedArrayBuffer;
}

export type WorkerReply =
  | { index: number; outcome: ReadOutcome }
  | {
      index: number;
      error: { code: ErrorCode; message: string; place: ErrorPlace; details?: Record<string, unknown> };
    }
  | { index: number; crash: string };

function workerScript(): URL | undefined {
  const url = new URL("./ingest-worker.js", import.meta.url);
  // Workers run the built JavaScript; from the TypeScript sources everything is read on this thread.
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

function workerCount(files: number, workers: number | "auto"): number {
  if (workers !== "auto") return Math.max(0, Math.floor(workers));
  return files >= MIN_FILES_FOR_WORKERS ? Math.min(availableParallelism(), MAX_AUTO_WORKERS) : 0;
}

export async function openReader(
  store: Store,
  inputs: readonly { path: string; name: string }[],
  opts: ReadOptions,
  workers: number | "auto",
): Promise<Reader> {
  const script = workerScript();
  const count = Math.min(workerCount(inputs.length, workers), inputs.length);
  if (count === 0 || script === undefined) {
    return {
      read: (index) => {
        const input = inputs[index];
        if (!input) throw new RangeError(`no input ${index}`);
        return readInput(input.path, input.name, opts);
      },
      peek: () => undefined,
      close: async () => {},
    };
  }
  const counters = new SharedArrayBuffer(8);
  const setup: WorkerSetup = {
    known: [...(await store.knownScanReports())],
    inputs: [...inputs],
    counters,
  };
  if (opts.format) setup.format = opts.format;
  return new Pool(script, count, setup);
}

interface Slot {
  promise: Promise<ReadOutcome>;
  resolve(outcome: ReadOutcome): void;
  reject(error: Error): void;
}

function slot(): Slot {
  let resolve!: (outcome: ReadOutcome) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<ReadOutcome>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A failure is reported when its file is read, not when it happens.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

class Pool implements Reader {
  private readonly workers: Worker[] = [];
  private readonly slots = new Map<number, Slot>();
  /** Outcomes received and not yet read. */
  private readonly ready = new Map<number, ReadOutcome>();
  private readonly counters: Int32Array;
  /** Weight of each outcome received and not yet read, and their sum. */
  private readonly weights = new Map<number, number>();
  private pending = 0;
  /** The next index the main thread will read. */
  private consumed = 0;
  private failure: Error | undefined;

  constructor(
    script: URL,
    count: number,
    private readonly setup: WorkerSetup,
  ) {
    this.counters = new Int32Array(setup.counters);
    Atomics.store(this.counters, 1, READ_AHEAD);
    for (let i = 0; i < count; i++) {
      // A small young generation keeps each worker's memory near what it holds (measured: the same
      // speed on 1,000 Trivy reports, 110 MB less at peak on 120 SBOMs of 20,000 components).
      const worker = new Worker(script, {
        workerData: setup,
        resourceLimits: { maxYoungGenerationSizeMb: 8 },
      });
      worker.on("message", (reply: WorkerReply) => this.settle(reply));
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) => {
        if (code !== 0) this.fail(new Error(`an ingest worker stopped with exit code ${code}`));
      });
      this.workers.push(worker);
    }
  }

  async read(index: number): Promise<ReadOutcome> {
    try {
      return await this.slot(index).promise;
    } finally {
      this.slots.delete(index);
      this.ready.delete(index);
      this.pending -= this.weights.get(index) ?? 0;
      this.weights.delete(index);
      this.consumed = index + 1;
      this.allow();
    }
  }

  peek(index: number): ReadOutcome | undefined {
    return this.ready.get(index);
  }

  async close(): Promise<void> {
    // Workers waiting for room or done with their inputs are stopped.
    Atomics.store(this.counters, 1, this.setup.inputs.length);
    Atomics.notify(this.counters, 1);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private slot(index: number): Slot {
    let s = this.slots.get(index);
    if (!s) {
      s = slot();
      if (this.failure) s.reject(this.failure);
      this.slots.set(index, s);
    }
    return s;
  }

  /**
   * Lets the workers go on to READ_AHEAD inputs past the one the main thread reads next, or only to
   * one each (the next one among them) while what waits weighs more than MAX_PENDING_ITEMS.
   */
  private allow(): void {
    const room = this.pending > MAX_PENDING_ITEMS ? this.workers.length : READ_AHEAD;
    Atomics.store(this.counters, 1, this.consumed + room);
    Atomics.notify(this.counters, 1);
  }

  private settle(reply: WorkerReply): void {
    const s = this.slot(reply.index);
    if ("outcome" in reply && reply.outcome.kind === "scan" && reply.index >= this.consumed) {
      const weight = weightOf(reply.outcome.scan);
      this.weights.set(reply.index, weight);
      this.pending += weight;
      if (this.pending > MAX_PENDING_ITEMS) this.allow();
    }
    if ("outcome" in reply) {
      this.ready.set(reply.index, reply.outcome);
      s.resolve(reply.outcome);
    } else if ("error" in reply) {
      const { code, message, place, details } = reply.error;
      s.resolve({ kind: "failed", error: new PatchlineError(code, message, place, details) });
    } else s.reject(new Error(`reading ${this.setup.inputs[reply.index]?.name} failed: ${reply.crash}`));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const s of this.slots.values()) s.reject(this.failure);
  }
}
