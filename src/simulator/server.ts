/**
 * The simulator's HTTP server (node:http, for raw socket control in faults): auth, per-key rate
 * limit, fault injection, routing, latency, and the request log — in that order. The key is
 * checked again right before the response is written, so revoking it mid-flight yields 401.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Dataset } from './data/dataset.ts';
import { ApiError } from './errors/api-error.ts';
import { handleAdmin } from './http/admin.ts';
import { FaultBook } from './http/faults.ts';
import { HostileSource, isHostile } from './http/hostile.ts';
import { isPoison, poisonPayload } from './http/poison.ts';
import { SlidingWindow } from './http/rate-limiter.ts';
import { errorBody, sendBroken, sendEcho, sendJson } from './http/respond.ts';
import { retryAfterValue } from './http/retry-after.ts';
import { matchRoute } from './http/routes.ts';
import type {
  ExpectedRecord,
  FaultRule,
  Mutator,
  RateLimit,
  RequestLogEntry,
  RetryAfterForm,
  Simulator,
  SimulatorOptions,
  StreamName,
  WebhookDelivery,
  WebhookTarget,
} from './types.ts';
import { eventForChange } from './webhooks/events.ts';
import { WebhookSender } from './webhooks/sender.ts';

const KEY_RE = /^Bearer (pk_live_[A-Za-z0-9_-]+)$/;
/** The V1 partner surface documents its own 100 requests/minute per key. */
const V1_LIMIT: RateLimit = { limit: 100, windowMs: 60_000 };

function clockStartMs(start: SimulatorOptions['clockStart']): number | undefined {
  if (start === undefined) return undefined;
  const ms = typeof start === 'number' ? start : Date.parse(start);
  if (!Number.isFinite(ms)) throw new RangeError(`clockStart is not a time: ${String(start)}`);
  return ms;
}

export function generateKey(): string {
  return `pk_live_${randomBytes(16).toString('hex')}`;
}

export class SimulatorServer implements Simulator {
  readonly adminToken: string;
  readonly requests: RequestLogEntry[] = [];
  requestCount = 0;
  sideEffectCalls = 0;
  private readonly ds: Dataset;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly active = new Set<string>();
  private readonly revoked = new Set<string>();
  private readonly faults: FaultBook;
  private readonly hostile = new HostileSource();
  private readonly webhooks: WebhookSender;
  private limiter: SlidingWindow | null;
  private v1Limiter: SlidingWindow | null;
  private retryAfter: RetryAfterForm;
  private retryAfterTurn = 0;
  private errorFormat: 'nested' | 'flat';
  private latencyMs: number;
  private readonly logCap: number;
  private closing: Promise<void> | undefined;
  private address = '';

  constructor(private readonly opts: SimulatorOptions = {}) {
    const seed = opts.seed ?? 1;
    this.ds = new Dataset(seed, opts.scale ?? 300, clockStartMs(opts.clockStart));
    for (const k of opts.keys?.length ? opts.keys : [generateKey()]) this.active.add(k);
    this.adminToken = opts.adminToken ?? `adm_${randomBytes(16).toString('hex')}`;
    const rl = opts.rateLimit === undefined ? { limit: 100, windowMs: 60_000 } : opts.rateLimit;
    this.limiter = rl ? new SlidingWindow(rl) : null;
    this.v1Limiter = rl ? new SlidingWindow(V1_LIMIT) : null;
    this.retryAfter = opts.retryAfter ?? 'seconds';
    this.errorFormat = opts.errorFormat ?? 'nested';
    this.latencyMs = opts.latencyMs ?? 0;
    this.logCap = opts.logCap ?? Number.POSITIVE_INFINITY;
    this.faults = new FaultBook(opts.faults ?? [], opts.faultSeed ?? seed);
    this.webhooks = new WebhookSender(null, opts.webhookRetryScheduleMs);
    if (opts.webhook) this.webhooks.setTarget(opts.webhook);
    this.ds.webhookApp = opts.webhookApp ?? true;
    this.ds.onChange = (change) => {
      const event = eventForChange(change);
      if (event) this.webhooks.emit(event.type, event.data);
    };
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        if (!res.headersSent) sendJson(res, 500, errorBody(this.errorFormat, 'internal_error', String(err)));
        else res.destroy();
      });
    });
    this.server.keepAliveTimeout = 5000;
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async listen(): Promise<void> {
    const host = this.opts.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 0, host, () => resolve());
    });
    const addr = this.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    this.address = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  get url(): string {
    return this.address;
  }

  get keys(): string[] {
    return [...this.active];
  }

  get enrichmentRunIds(): string[] {
    return this.ds.enrichmentRunIds;
  }

  get mutate(): Mutator {
    return this.ds.mutate;
  }

  expected(stream: StreamName, at?: { date?: string }): Iterable<ExpectedRecord> {
    return this.ds.expected(stream, at);
  }

  count(stream: StreamName): number {
    return this.ds.count(stream);
  }

  partitions(stream: StreamName): string[] {
    return this.ds.partitions(stream);
  }

  now(): number {
    return this.ds.clock.now();
  }

  advanceClock(ms: number): void {
    this.ds.clock.advance(ms);
  }

  revokeKey(key: string): void {
    if (this.active.delete(key)) this.revoked.add(key);
  }

  addKey(key: string): void {
    if (!/^pk_live_[A-Za-z0-9_-]+$/.test(key)) throw new Error('keys must look like pk_live_…');
    this.revoked.delete(key);
    this.active.add(key);
  }

  setFaults(rules: FaultRule[]): void {
    this.faults.set(rules);
    this.hostile.reset();
  }

  setRateLimit(rl: RateLimit | null): void {
    this.limiter = rl ? new SlidingWindow(rl) : null;
    this.v1Limiter = rl ? new SlidingWindow(V1_LIMIT) : null;
  }

  setRetryAfter(form: RetryAfterForm): void {
    this.retryAfter = form;
  }

  setErrorFormat(format: 'nested' | 'flat'): void {
    this.errorFormat = format;
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  resetLog(): void {
    this.requests.length = 0;
    this.requestCount = 0;
    this.sideEffectCalls = 0;
  }

  setWebhookTarget(target: WebhookTarget | null): void {
    this.webhooks.setTarget(target);
  }

  get webhookDeliveries(): readonly WebhookDelivery[] {
    return this.webhooks.deliveries;
  }

  emitWebhook(type: string, data: Record<string, unknown>): string | undefined {
    return this.webhooks.emit(type, data);
  }

  resendWebhook(id: string): void {
    this.webhooks.resend(id);
  }

  close(): Promise<void> {
    this.closing ??= Promise.all([
      this.webhooks.close(),
      new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        for (const s of this.sockets) s.destroy();
      }),
    ]).then(() => undefined);
    return this.closing;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (url.pathname.startsWith('/__admin/')) {
      return handleAdmin(req, res, url, this, this.ds, {
        faults: () => this.faults.rules,
        rateLimit: () => this.limiter?.limit ?? null,
      });
    }
    const started = performance.now();
    const entry: RequestLogEntry = {
      at: Date.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      ms: 0,
    };
    this.requestCount++;
    this.requests.push(entry);
    if (this.requests.length > this.logCap) this.requests.shift();
    res.on('close', () => {
      entry.status = res.headersSent ? res.statusCode : 0;
      entry.ms = Math.round((performance.now() - started) * 10) / 10;
    });

    const match = matchRoute(url.pathname);
    const ctx = { ds: this.ds, q: url.searchParams, p: match?.params ?? [] };
    if (entry.method !== 'GET' || match?.route.sideEffect?.(ctx)) this.sideEffectCalls++;

    let key: string;
    try {
      key = this.authenticate(req);
      entry.keyTail = key.slice(-4);
      if (entry.method !== 'GET')
        throw new ApiError(405, 'method_not_allowed', 'the simulator serves GET only');
      this.checkRate(key, url.pathname);
    } catch (err) {
      return this.sendError(res, err);
    }

    const fault = this.pickFault(url);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'expired-cursor') {
      await this.wait(res, this.latencyMs);
      return this.sendError(res, new ApiError(400, 'invalid_request', 'cursor has expired'));
    }
    if (fault?.kind === 'stall') await this.wait(res, fault.stallMs ?? 30_000);
    if (fault?.kind === 'echo') {
      await this.wait(res, this.latencyMs);
      return sendEcho(res, fault.status ?? 500, req.headers.authorization ?? '');
    }
    if (fault && ['500', '502', '503', '429'].includes(fault.kind)) {
      await this.wait(res, this.latencyMs);
      return this.sendFaultStatus(res, fault);
    }

    let status = 200;
    let body: string;
    let headers: Record<string, string> = {};
    try {
      if (!match) throw new ApiError(404, 'not_found', `no route for GET ${url.pathname}`);
      let result = match.route.handle(ctx);
      if (fault && isHostile(fault.kind)) {
        const lie = this.hostile.rewrite(fault.kind, result, ctx.q);
        if (lie) result = lie;
        else entry.fault = undefined;
      }
      this.hostile.remember(result);
      body = JSON.stringify(fault && isPoison(fault.kind) ? poisonPayload(result, fault.kind) : result);
    } catch (err) {
      const e =
        err instanceof ApiError
          ? err
          : new ApiError(500, 'internal_error', 'Internal server error', {}, { cause: err });
      status = e.status;
      headers = e.headers;
      body = errorBody(this.errorFormat, e.code, e.message);
    }
    await this.wait(res, this.latencyMs);
    if (res.destroyed) return;
    if (!this.active.has(key))
      return this.sendError(res, new ApiError(401, 'unauthorized', 'API key was revoked'));
    if (fault && status === 200 && fault.kind !== 'stall' && !isHostile(fault.kind) && !isPoison(fault.kind))
      return sendBroken(res, fault, body);
    sendJson(res, status, body, headers);
  }

  /**
   * The fault this request gets. A cursor handed out by `endless-cursor` keeps the walk going in
   * circles while that rule is set: the request is served for the cursor it stands for.
   */
  private pickFault(url: URL): FaultRule | undefined {
    const origin = this.hostile.endlessOrigin(url.searchParams);
    const endless = origin === undefined ? undefined : this.faults.armedFor(url.pathname, 'endless-cursor');
    if (endless) {
      if (origin) url.searchParams.set('cursor', origin);
      else url.searchParams.delete('cursor');
      return endless;
    }
    return this.faults.pick(url.pathname, (rule) => this.hostile.applies(rule.kind, url.searchParams));
  }

  private authenticate(req: IncomingMessage): string {
    const header = req.headers.authorization;
    if (!header) throw new ApiError(401, 'unauthorized', 'missing Authorization: Bearer pk_live_… header');
    const m = KEY_RE.exec(header);
    if (!m)
      throw new ApiError(401, 'unauthorized', 'malformed Authorization header; expected Bearer pk_live_…');
    const key = m[1] as string;
    if (this.revoked.has(key)) throw new ApiError(401, 'unauthorized', 'API key was revoked');
    if (!this.active.has(key)) throw new ApiError(401, 'unauthorized', 'unknown API key');
    return key;
  }

  private checkRate(key: string, path: string): void {
    const now = Date.now();
    const wait = Math.max(
      this.limiter?.take(key, now) ?? 0,
      path.startsWith('/api/v1/') ? (this.v1Limiter?.take(key, now) ?? 0) : 0,
    );
    if (wait > 0) throw new ApiError(429, 'rate_limited', 'rate limit exceeded', this.retryAfterHeader(wait));
  }

  private retryAfterHeader(waitMs: number): Record<string, string> {
    const forms = ['seconds', 'http-date', 'absent'] as const;
    const form = this.retryAfter === 'mixed' ? forms[this.retryAfterTurn++ % 3] : this.retryAfter;
    const value = retryAfterValue(form ?? 'seconds', waitMs, Date.now());
    return value === undefined ? {} : { 'retry-after': value };
  }

  private sendFaultStatus(res: ServerResponse, fault: FaultRule): void {
    if (fault.kind === '429') {
      this.sendError(
        res,
        new ApiError(429, 'rate_limited', 'rate limit exceeded', this.retryAfterHeader(1000)),
      );
      return;
    }
    const code =
      fault.kind === '500' ? 'internal_error' : fault.kind === '502' ? 'bad_gateway' : 'service_unavailable';
    const message =
      fault.kind === '500'
        ? 'Internal server error'
        : fault.kind === '502'
          ? 'Bad gateway'
          : 'Service temporarily unavailable';
    this.sendError(res, new ApiError(Number(fault.kind), code, message));
  }

  private sendError(res: ServerResponse, err: unknown): void {
    const e =
      err instanceof ApiError
        ? err
        : new ApiError(500, 'internal_error', 'Internal server error', {}, { cause: err });
    if (res.destroyed) return;
    sendJson(res, e.status, errorBody(this.errorFormat, e.code, e.message), e.headers);
  }

  /** Waits, ending early if the client goes away. */
  private wait(res: ServerResponse, ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        res.off('close', done);
        resolve();
      }
      res.on('close', done);
    });
  }
}
