/** Shared by the webhook tests: waiting on the warehouse, and deliveries signed by hand. */
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/load/index.ts';
import { signPayload } from '../../src/simulator/index.ts';

export async function waitUntil<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function signalRow(db: Database, id: unknown) {
  const [row] = await db.query<{ raw: Record<string, unknown>; run: string }>(
    sql`select raw, _run_id as run from puffle.signals where id = ${String(id)}`,
  );
  return row;
}

export async function webhookRuns(db: Database): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    sql`select count(*)::int as n from puffle.sync_runs where stream = '*' and trigger = 'webhook'`,
  );
  return row!.n;
}

export async function eventRows(db: Database): Promise<Array<{ id: string; status: string; type: string }>> {
  return db.query(
    sql`select message_id as id, status, event_type as type from puffle.webhook_events order by received_at`,
  );
}

/** Svix's three headers for `body`, signed with `secret`. */
export function svixHeaders(
  secret: string,
  id: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
) {
  return {
    'svix-id': id,
    'svix-timestamp': String(timestamp),
    'svix-signature': signPayload(secret, id, timestamp, body),
  };
}

/** POSTs a delivery the way Svix does, signed with `secret` (or with the headers given). */
export async function deliver(
  endpoint: string,
  body: string,
  opts: { secret?: string; id?: string; timestamp?: number; headers?: Record<string, string> } = {},
): Promise<Response> {
  const id = opts.id ?? `msg_manual_${Math.random().toString(36).slice(2)}`;
  const signed = opts.secret ? svixHeaders(opts.secret, id, body, opts.timestamp) : {};
  return fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signed, ...opts.headers },
    body,
  });
}
