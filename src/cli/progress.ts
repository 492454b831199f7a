import { spinner } from "@clack/prompts";

export interface Progress {
  step(message: string): void;
  done(message?: string): void;
}

const silent: Progress = { step() {}, done() {} };

/** A spinner on stderr when it is a terminal and output is for people; silent otherwise. */
export function progress(enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY || process.env.CI) return silent;
  const s = spinner({ output: process.stderr });
  let started = false;
  return {
    step(message) {
      if (!started) {
        s.start(message);
        started = true;
      } else s.message(message);
    },
    done(message) {
      if (started) s.stop(message);
      started = false;
    },
  };
}
