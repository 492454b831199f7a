import pg from "pg";

/** A fresh PostgreSQL schema name for one bench run, so a run never meets an earlier one's data. */
export function benchSchema(prefix: string): string {
  return `${prefix}_${Date.now()}`;
}

/** Drops the bench run's schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema.replaceAll('"', '""')}" cascade`);
  } finally {
    await client.end();
  }
}
