/**
 * The one PGlite session every client of the SQL port shares, handed to one client at a time.
 *
 * PGlite is a single-user Postgres: one backend, one session. A client *owns* it from its first
 * message until the backend reports ReadyForQuery with status idle (`I`): a whole extended-query
 * batch (Parse … Sync), a whole transaction and a whole COPY run without another client's
 * messages in between, and everyone else waits in arrival order. An owner that sits idle while
 * others wait for longer than `idleTimeoutMs` (a BI tool left in an open transaction) is
 * disconnected and its transaction rolled back, like Postgres'
 * `idle_in_transaction_session_timeout`.
 *
 * Session settings (SET, and the options a client sends at startup) are kept per client: when
 * ownership moves to a client whose settings differ from the session's, the session is reset and
 * given that client's settings. A client that may have changed settings (its SQL mentions SET,
 * RESET, DISCARD or set_config) has them read back when it hands over.
 */
import type { PGlite } from '@electric-sql/pglite';
import { commandComplete, errorResponse, ServerOutputTracker } from './protocol.ts';

export type Settings = ReadonlyMap<string, string>;

/** What the backend needs from a client connection. */
export interface Owner {
  readonly id: number;
  /** This client's session settings (startup options, then what it SET). */
  settings: Settings;
  /** Its SQL may have changed session settings since they were last read. */
  settingsDirty: boolean;
  /** Ends the connection with a FATAL error (idle owner while others wait). */
  evict(reason: string): void;
}

export interface BackendOptions {
  /** Settings every client starts with (the served-directory marker). */
  baseline: Settings;
  /** @default 60000 */
  idleTimeoutMs?: number;
  onError?: (err: unknown) => void;
}

const SETTINGS_QUERY = "select name, setting from pg_settings where source = 'session'";
const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);

export class Backend {
  private owner: Owner | undefined;
  /** The owner is running a message (not idle). */
  private busy = false;
  private readonly waiting: Array<{ who: Owner; grant: () => void }> = [];
  /** Who last owned the session: its settings are the session's. */
  private last: Owner | undefined;
  /** The settings in effect in the session; undefined = unknown. */
  private current: Settings | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly idleTimeoutMs: number;
  private dead: Error | undefined;

  constructor(
    private readonly pglite: PGlite,
    private readonly opts: BackendOptions,
  ) {
    this.idleTimeoutMs = opts.idleTimeoutMs ?? 60_000;
  }

  /** Applies the baseline once, before any client. */
  async start(): Promise<void> {
    await this.applySettings(this.opts.baseline);
  }

  get ownerId(): number | undefined {
    return this.owner?.id;
  }

  get waiters(): number {
    return this.waiting.length;
  }

  /** Waits until `who` owns the session (at once if it already does), with its settings in effect. */
  async acquire(who: Owner): Promise<void> {
    if (this.dead) throw this.dead;
    if (this.owner !== who) {
      if (this.owner || this.waiting.length > 0) {
        await new Promise<void>((grant) => {
          this.waiting.push({ who, grant });
          this.armIdle();
        });
        if (this.dead) throw this.dead;
        if (this.owner !== who) throw new Error(`connection ${who.id} left before its turn`);
      } else this.owner = who;
    }
    this.busy = true;
    this.clearIdle();
    await this.switchSettings(who);
  }

  /** Runs protocol bytes as the owner; `onData` gets the output; resolves to the final ReadyForQuery status, if any. */
  async exec(
    who: Owner,
    bytes: Uint8Array,
    onData: (data: Uint8Array) => void,
  ): Promise<'I' | 'T' | 'E' | undefined> {
    if (this.owner !== who) throw new Error(`connection ${who.id} does not own the session`);
    const tracker = new ServerOutputTracker();
    try {
      await this.pglite.execProtocolRawStream(bytes, {
        onRawData: (data) => {
          tracker.push(data);
          onData(data);
        },
      });
    } catch (err) {
      this.die(err);
      throw err;
    }
    return tracker.readyStatus();
  }

  /**
   * `COPY … FROM STDIN`, run as PGlite's `COPY … FROM '/dev/blob'` (its wasm backend cannot read
   * COPY data from the protocol): CommandComplete or ErrorResponse, then ReadyForQuery.
   */
  async copyIn(
    who: Owner,
    statement: string,
    data: Buffer,
    onData: (data: Uint8Array) => void,
  ): Promise<'I' | 'T' | 'E' | undefined> {
    if (this.owner !== who) throw new Error(`connection ${who.id} does not own the session`);
    try {
      const result = await this.pglite.query(statement, [], { blob: new Blob([data]) });
      onData(commandComplete(`COPY ${result.affectedRows ?? 0}`));
    } catch (err) {
      const e = err as { code?: string; message?: string; detail?: string; hint?: string };
      if (!e.code) {
        this.die(err);
        throw err;
      }
      onData(
        errorResponse({
          severity: 'ERROR',
          code: e.code,
          message: e.message ?? 'COPY failed',
          detail: e.detail,
          hint: e.hint,
        }),
      );
    }
    // A Sync reports the transaction status as the backend sees it.
    return this.exec(who, SYNC, onData);
  }

  /**
   * The owner finished a message. On `I` it hands the session over; otherwise (a transaction or a
   * batch is open) it keeps it, and the idle clock runs while others wait.
   */
  done(who: Owner, status: 'I' | 'T' | 'E' | undefined): void {
    if (this.owner !== who) return;
    this.busy = false;
    if (status !== 'I') {
      this.armIdle();
      return;
    }
    this.clearIdle();
    this.owner = undefined;
    const next = this.waiting.shift();
    if (next) {
      this.owner = next.who;
      next.grant();
    }
  }

  /** The idle owner is still sending (COPY data): its idle clock starts again. */
  activity(who: Owner): void {
    if (this.owner !== who || this.busy) return;
    this.clearIdle();
    this.armIdle();
  }

  /** A client left: drop it from the queue, or end what it left open and hand over. */
  async leave(who: Owner): Promise<void> {
    const queued = this.waiting.findIndex((w) => w.who === who);
    if (queued >= 0) {
      // Its pending acquire() ends (with an error: it is not the owner).
      this.waiting.splice(queued, 1)[0]!.grant();
      return;
    }
    if (this.last === who) {
      this.last = undefined;
      if (who.settingsDirty) this.current = undefined;
    }
    if (this.owner !== who || this.dead) return;
    let status: 'I' | 'T' | 'E' | undefined;
    try {
      // End an extended-query batch it left half-sent, then any transaction it left open.
      status = await this.exec(who, SYNC, () => {});
      if (status !== 'I') status = await this.exec(who, simpleQuery('rollback'), () => {});
    } catch (err) {
      this.opts.onError?.(err);
    }
    this.done(who, 'I');
  }

  close(): void {
    this.clearIdle();
    this.dead ??= new Error('the SQL port is shutting down');
    for (const w of this.waiting.splice(0)) w.grant();
  }

  private async switchSettings(who: Owner): Promise<void> {
    if (this.last === who) return;
    const last = this.last;
    if (last?.settingsDirty) await this.captureSettings(last);
    this.last = who;
    if (!this.current || !sameSettings(this.current, who.settings)) await this.applySettings(who.settings);
  }

  /** Reads back what `who` SET, before someone else gets the session. */
  private async captureSettings(who: Owner): Promise<void> {
    const rows = (await this.pglite.query<{ name: string; setting: string }>(SETTINGS_QUERY)).rows;
    const settings = new Map(this.opts.baseline);
    for (const r of rows) settings.set(r.name, r.setting);
    who.settings = settings;
    who.settingsDirty = false;
    this.current = settings;
  }

  private async applySettings(settings: Settings): Promise<void> {
    await this.pglite.exec('reset all');
    for (const [name, value] of settings) {
      try {
        await this.pglite.query('select set_config($1, $2, false)', [name, value]);
      } catch {
        // A startup option this backend does not know or refuses: the client goes without it.
      }
    }
    this.current = settings;
  }

  private armIdle(): void {
    if (this.idleTimer || !this.owner || this.busy || this.waiting.length === 0) return;
    const owner = this.owner;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.owner === owner && !this.busy && this.waiting.length > 0)
        owner.evict(
          `terminating connection: it held the embedded database (an open transaction or an unfinished query) for ${Math.round(this.idleTimeoutMs / 1000)} s while other connections waited`,
        );
    }, this.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private die(err: unknown): void {
    if (this.dead) return;
    this.dead = err instanceof Error ? err : new Error(String(err));
    this.opts.onError?.(err);
    this.close();
  }
}

export function sameSettings(a: Settings, b: Settings): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function simpleQuery(text: string): Buffer {
  const body = Buffer.from(`${text}\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('Q', 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
