/** What `startDashboard` needs; the CLI fills it from Config and its flags. */
import type { FreshnessTargets } from '../config/freshness.ts';
import type { StreamName } from '../extract/streams.ts';
import type { Logger } from '../log.ts';

export interface DashboardOptions {
  /** Postgres the workers load into (sync_runs, sync_state); undefined = the embedded database in `dataDir`. */
  databaseUrl?: string;
  /**
   * The embedded database's directory (`PUFFLE_SYNC_DATA_DIR`), used without `databaseUrl`. The
   * dashboard holds it while it runs (PGlite is single-process), unless `puffle-sync sql` serves it.
   */
  dataDir?: string;
  /** How old each stream may get (`PUFFLE_FRESHNESS_TARGETS`). @default 26 h for every stream */
  freshnessTargets?: FreshnessTargets;
  /** The streams a sync runs (`PUFFLE_SYNC_STREAMS`), shown on or off. @default every stream but the opt-in ones */
  streams?: readonly StreamName[];
  /** Redis of the BullMQ queue; undefined = no queues to show (inline-only deployments). */
  redisUrl?: string;
  /** `postgres`: the queue lives in `databaseUrl` (no Redis). @default `redis` when redisUrl is set */
  queueBackend?: 'redis' | 'postgres';
  /** @default 'puffle' */
  schema?: string;
  /** `PUFFLE_QUEUE_PREFIX`. @default 'puffle-sync' */
  queuePrefix?: string;
  /** @default '127.0.0.1' — only this machine; say `0.0.0.0` to expose it (then set a token). */
  host?: string;
  /** 0 = any free port. @default 3000 */
  port?: number;
  /**
   * When set, every route but /healthz requires it (Bearer, or basic-auth password). Without it,
   * Bull Board is read-only whatever `readOnly` says.
   */
  token?: string;
  /** Bull Board without retry/clean/remove buttons (always so without a token). @default false */
  readOnly?: boolean;
  /**
   * Host names the dashboard answers to besides IP addresses, `localhost` and `host`
   * (`PUFFLE_DASHBOARD_ALLOWED_HOSTS`); any other `Host` header gets 421. @default []
   */
  allowedHosts?: readonly string[];
  /** Longest wait for Postgres or Redis per scrape or health check. @default 3000 */
  backendTimeoutMs?: number;
  logger?: Logger;
}

export const DASHBOARD_DEFAULTS = {
  schema: 'puffle',
  queuePrefix: 'puffle-sync',
  host: '127.0.0.1',
  port: 3000,
  readOnly: false,
  allowedHosts: [] as readonly string[],
  backendTimeoutMs: 3000,
} as const;
