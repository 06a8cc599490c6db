/**
 * The schema's inline-sync lock, taken by `sync` (runSync) and by the webhook receiver's own
 * targeted syncs when there is no queue. They never walk at the same time: without Redis each
 * process has a request budget of its own, so two walking at once would overrun the key's limit.
 *
 * A targeted sync holds the lock for seconds, so a `sync` that finds it held by one waits for it
 * instead of standing aside; a `sync` that finds another `sync` stands aside at once. Which kind
 * holds it is told by a second lock that only targeted syncs take (first, and release last).
 */
import type { Database, DatabaseLock } from '../load/index.ts';

const inlineLockName = (schema: string) => `puffle-sync:inline-run:${schema}`;
const webhookLockName = (schema: string) => `puffle-sync:webhook-run:${schema}`;

export interface InlineLockOptions {
  /** Longest wait while a targeted webhook sync holds the lock. @default 120000 */
  waitForWebhookMs?: number;
  /** @default 500 */
  pollMs?: number;
}

/** For `sync`: the lock, or undefined when another `sync` holds it (or a webhook sync for too long). */
export async function lockForInlineSync(
  db: Database,
  opts: InlineLockOptions = {},
): Promise<DatabaseLock | undefined> {
  const deadline = Date.now() + (opts.waitForWebhookMs ?? 120_000);
  for (;;) {
    const lock = await db.tryLock(inlineLockName(db.schema));
    if (lock) return lock;
    const marker = await db.tryLock(webhookLockName(db.schema));
    if (marker) {
      // While we hold the marker no webhook sync can hold the lock: if it is still taken, a
      // `sync` has it (a webhook sync may have let go of both between our two checks).
      const again = await db.tryLock(inlineLockName(db.schema));
      await marker.release();
      return again;
    }
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 500));
  }
}

/** For a webhook receiver's own targeted sync: the lock, or undefined while a `sync` runs. */
export async function lockForWebhookSync(db: Database): Promise<DatabaseLock | undefined> {
  const marker = await db.tryLock(webhookLockName(db.schema));
  if (!marker) return undefined;
  const lock = await db.tryLock(inlineLockName(db.schema)).catch(async (err: unknown) => {
    await marker.release();
    throw err;
  });
  if (!lock) {
    await marker.release();
    return undefined;
  }
  return {
    release: async () => {
      await lock.release();
      await marker.release();
    },
  };
}
