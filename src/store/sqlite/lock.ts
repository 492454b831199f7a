/**
 * One writer at a time per database file within this process. better-sqlite3 waits for a busy
 * database synchronously (busy_timeout), which would freeze the event loop while the connection
 * holding the lock — in this same process — waits for that loop to finish its transaction. Queuing
 * write transactions per file here avoids that; other processes are still handled by busy_timeout.
 */
const queues = new Map<string | symbol, Promise<void>>();

export async function withFileLock<T>(key: string | symbol, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  let release = () => {};
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => mine);
  queues.set(key, tail);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (queues.get(key) === tail) queues.delete(key);
  }
}
