/**
 * Public interface of the Puffle API simulator (src/simulator). Tests, benchmarks and `demo`
 * import only from here and from `./index.ts` (`startSimulator`).
 *
 * Partition strings follow docs/architecture.md: `''` for root streams, the parent id for child
 * streams, `'person'`/`'company'` for signal_leads, the run id for enrichment_runs.
 */
import type { WebhookDelivery, WebhookTarget } from './webhooks/sender.ts';

export type { WebhookDelivery, WebhookTarget };

/**
 * The collections the simulator serves, named like the sync's streams. Its own list: the
 * simulator plays Puffle and imports nothing from the sync (test/simulator/walk.ts checks at
 * compile time that it serves every stream of the catalog).
 */
export type StreamName =
  | 'account'
  | 'campaigns'
  | 'campaign_sequence_nodes'
  | 'campaign_leads'
  | 'campaign_senders'
  | 'campaign_messages'
  | 'threads'
  | 'thread_messages'
  | 'leads'
  | 'lists'
  | 'list_leads'
  | 'lead_search_tasks'
  | 'lead_search_results'
  | 'signals'
  | 'signal_types'
  | 'signal_leads'
  | 'signal_searches'
  | 'enrichments'
  | 'enrichment_runs'
  | 'enrichment_items'
  | 'senders'
  | 'email_accounts'
  | 'email_domains'
  | 'research_people'
  // issue 15: signals and usage
  | 'signal_keywords'
  | 'signal_type_sources'
  | 'source_configs'
  | 'campaign_account_usage'
  | 'sender_limits'
  | 'campaign_weekly_stats'
  | 'list_messages';

/** How 429 responses carry `Retry-After`. `mixed` rotates seconds → HTTP-date → absent. */
export type RetryAfterForm = 'seconds' | 'http-date' | 'absent' | 'mixed';

export interface RateLimit {
  /** Requests allowed per key within `windowMs` (sliding window). */
  limit: number;
  windowMs: number;
}

export interface SimulatorOptions {
  /** Same seed + scale ⇒ identical data. @default 1 */
  seed?: number;
  /** Number of leads; every other stream's size derives from it (docs/simulator.md). @default 300 */
  scale?: number;
  /** Accepted `pk_live_` keys. @default one generated key (`sim.keys[0]`) */
  keys?: string[];
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
  /** Per-key sliding-window budget; `null` = unlimited. @default { limit: 100, windowMs: 60000 } */
  rateLimit?: RateLimit | null;
  /** @default 'seconds' */
  retryAfter?: RetryAfterForm;
  /** `nested` = `{"error":{"code","message"}}`, `flat` = `{"error":"…"}`. @default 'nested' */
  errorFormat?: 'nested' | 'flat';
  /** Injected faults (see FaultRule). @default [] */
  faults?: FaultRule[];
  /** Seed for fault probabilities (independent of the data seed). @default seed */
  faultSeed?: number;
  /** Delay added before every response. @default 0 */
  latencyMs?: number;
  /** Keep at most this many request-log entries (oldest dropped); `requestCount` still counts all. @default Infinity */
  logCap?: number;
  /** Admin token for the `/__admin/` routes. @default generated */
  adminToken?: string;
  /**
   * The simulator clock's reading at start (epoch ms or ISO 8601); it then runs at wall-clock
   * speed. Inserts and updates are stamped with it and Puffle's daily signal cleanup follows it.
   * @default 2026-03-01T00:00:00Z (after every generated timestamp, whatever today's date)
   */
  clockStart?: number | string;
  /**
   * Deliver signed webhooks (Svix) here: `signal.detected` for every new signal,
   * `research.complete` / `research.failed` when a research person reaches that status.
   * @default none (set later with `setWebhookTarget`)
   */
  webhook?: WebhookTarget;
  /** Waits between attempts after a failed delivery. @default Svix's: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h */
  webhookRetryScheduleMs?: number[];
  /** False: Puffle never created the Svix app for the key, so `/api/v1/partners/portal` answers 404. @default true */
  webhookApp?: boolean;
}

export type FaultKind =
  | '500'
  | '502'
  | '503'
  | 'reset'
  | 'stall'
  | 'malformed'
  | 'truncated'
  | '429'
  | 'echo'
  | 'empty-first-page'
  | 'contradictory'
  | 'endless-cursor'
  | 'expired-cursor'
  | 'poison-surrogate'
  | 'poison-nul'
  | 'poison-offset'
  | 'poison-zero-date'
  | 'poison-overflow';

/**
 * One injected fault. A request matches when its path matches `path` (a prefix, or a glob where
 * `*` matches one path segment and `**` anything; default: every path). Among matching requests,
 * the fault fires on the `nth` ones (1-based count of matching requests since the rule was set)
 * or with `probability` (seeded). With neither, it fires on every matching request.
 */
export interface FaultRule {
  kind: FaultKind;
  path?: string;
  nth?: number[];
  probability?: number;
  /** For `stall`: how long to hold the response before sending it. @default 30000 */
  stallMs?: number;
  /** For `truncated`: `length` = correct Content-Length but a short body; `chunked` = chunked body cut. @default 'length' */
  truncate?: 'length' | 'chunked';
  /** For `echo`: the status of the HTML page. @default 500 */
  status?: number;
}

export interface RequestLogEntry {
  /** Epoch ms when the request arrived. */
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** Time from arrival to the end of the response (or the socket being destroyed). */
  ms: number;
  fault?: FaultKind;
  /** Last 4 characters of the key used, never the key itself. */
  keyTail?: string;
}

export interface ExpectedRecord {
  partition: string;
  record: Record<string, unknown>;
}

export interface Mutator {
  /** Insert a record (fields override generated ones); returns the record as served. */
  insert(stream: StreamName, partition?: string, fields?: Record<string, unknown>): Record<string, unknown>;
  /** Patch a record; `updated_at`/`updatedAt` moves forward. Throws if the id does not exist. */
  update(
    stream: StreamName,
    id: string,
    fields?: Record<string, unknown>,
    partition?: string,
  ): Record<string, unknown>;
  /** Delete a record. Throws if the id does not exist. */
  remove(stream: StreamName, id: string, partition?: string): void;
}

export interface Simulator {
  /** `http://127.0.0.1:PORT` — use as PUFFLE_API_BASE_URL. */
  readonly url: string;
  /** Currently accepted keys. */
  readonly keys: readonly string[];
  /** Token for the `/__admin/` routes (header `x-admin-token`). */
  readonly adminToken: string;
  /** The requests received (bounded by `logCap`). */
  readonly requests: readonly RequestLogEntry[];
  /** Total requests received since the last `resetLog()`. */
  readonly requestCount: number;
  /** Calls to endpoints docs/puffle-api.md says are never called during a sync, plus any non-GET request. */
  readonly sideEffectCalls: number;
  /** Ids of the enrichment runs that exist (what PUFFLE_ENRICHMENT_RUN_IDS would name). */
  readonly enrichmentRunIds: readonly string[];
  /**
   * Exactly what a complete walk of the stream would return now, in the served shape. `date`
   * (`YYYY-MM-DD`): for an endpoint that takes one (campaign account usage), that day's answer
   * instead of today's.
   */
  expected(stream: StreamName, at?: { date?: string }): Iterable<ExpectedRecord>;
  /** Number of records `expected(stream)` yields (cheap, no iteration for big streams). */
  count(stream: StreamName): number;
  /** Partitions of a child stream (parent ids), `['']` for root streams. */
  partitions(stream: StreamName): string[];
  readonly mutate: Mutator;
  /** The simulator clock (epoch ms): Puffle's "now" for its data (see `clockStart`). */
  now(): number;
  /** Moves the simulator clock forward, e.g. past the daily cleanup that drops year-old signals. */
  advanceClock(ms: number): void;
  revokeKey(key: string): void;
  addKey(key: string): void;
  setFaults(rules: FaultRule[]): void;
  setRateLimit(rl: RateLimit | null): void;
  setRetryAfter(form: RetryAfterForm): void;
  setErrorFormat(format: 'nested' | 'flat'): void;
  setLatency(ms: number): void;
  resetLog(): void;
  /** Where webhooks are delivered from now on; null stops delivering. */
  setWebhookTarget(target: WebhookTarget | null): void;
  /** Every webhook delivery attempt so far, in order. */
  readonly webhookDeliveries: readonly WebhookDelivery[];
  /** Sends an event as Puffle would (any type); its message id, or undefined with no target set. */
  emitWebhook(type: string, data: Record<string, unknown>): string | undefined;
  /** Delivers a sent message again under the same id, freshly signed (Svix's replay). */
  resendWebhook(id: string): void;
  /** Stops listening and destroys open sockets. Idempotent. */
  close(): Promise<void>;
}
