/**
 * One client of the SQL port: answers the startup handshake itself (no password: the port
 * binds loopback by default), then relays the client's messages to the shared backend in order.
 * Prepared statement and portal names get a per-connection prefix so clients cannot collide in
 * the shared session; `COPY … FROM STDIN` is collected here and run by the backend from memory.
 */
import type { Socket } from 'node:net';
import type { Logger } from '../log.ts';
import type { Backend, Owner, Settings } from './backend.ts';
import {
  authenticationOk,
  backendKeyData,
  CANCEL_REQUEST,
  type ClientMessage,
  copyInResponse,
  errorResponse,
  GSSENC_REQUEST,
  NAMED_MESSAGES,
  PROTOCOL_3,
  parameterStatus,
  parseOptions,
  prefixNames,
  queryText,
  readCString,
  readyForQuery,
  SSL_REQUEST,
  splitMessages,
  startupParameters,
} from './protocol.ts';

export interface ConnectionContext {
  backend: Backend;
  /** ParameterStatus values every client is told at startup. */
  serverParameters: ReadonlyMap<string, string>;
  baseline: Settings;
  logger: Logger;
}

/** Startup parameters that are not session settings. */
const NOT_SETTINGS = new Set(['user', 'database', 'replication', 'options']);
/** SQL that may change session settings (read back before another client gets the session). */
const CHANGES_SETTINGS = /(^|;)\s*(set|reset|discard)\b|\bset_config\s*\(/i;
const COPY_FROM_STDIN = /\bcopy\b[^;]*\bfrom\s+stdin\b/i;
const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);

export class ClientConnection implements Owner {
  settings: Settings;
  settingsDirty = false;
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private closed = false;
  private chain: Promise<void> = Promise.resolve();
  private copy: { statement: string; chunks: Buffer[] } | undefined;
  private discardUntilSync = false;
  private readonly prepared = new Set<string>();
  private readonly prefix: string;
  readonly finished: Promise<void>;
  private finish!: () => void;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly ctx: ConnectionContext,
  ) {
    this.settings = ctx.baseline;
    this.prefix = `c${id}_`;
    this.finished = new Promise((resolve) => {
      this.finish = resolve;
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (err) => ctx.logger.debug({ err, connection: id }, 'sql port: client socket error'));
    socket.on('close', () => this.onClose());
  }

  evict(reason: string): void {
    this.fatal('25P03', reason);
  }

  /** Ends the connection (server shutdown). */
  terminate(reason: string): void {
    this.fatal('57P01', reason);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const { messages, rest } = splitMessages(this.buffer, !this.started);
      this.buffer = rest;
      if (messages.length === 0 || this.closed) return;
      for (const m of messages) {
        if (!this.started) this.startup(m);
        else this.chain = this.chain.then(() => this.handle(m)).catch((err) => this.failed(err));
      }
    }
  }

  private startup(m: ClientMessage): void {
    const code = m.body.readInt32BE(0);
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
      this.socket.write('N'); // no TLS, no GSS encryption: the client continues in plain text
      return;
    }
    if (code === CANCEL_REQUEST) {
      this.socket.end(); // nothing to cancel: queries run to completion
      return;
    }
    if (code !== PROTOCOL_3) {
      this.fatal(
        '0A000',
        `unsupported frontend protocol ${code >> 16}.${code & 0xffff}: puffle-sync sql speaks 3.0`,
      );
      return;
    }
    const params = startupParameters(m.body);
    const settings = new Map(this.ctx.baseline);
    for (const [k, v] of params) if (!NOT_SETTINGS.has(k)) settings.set(k, v);
    for (const [k, v] of parseOptions(params.get('options') ?? '')) settings.set(k, v);
    this.settings = settings;
    const out = [authenticationOk()];
    for (const [name, value] of this.ctx.serverParameters)
      out.push(parameterStatus(name, settings.get(name) ?? value));
    out.push(backendKeyData(this.id, Math.floor(Math.random() * 2 ** 31)), readyForQuery('I'));
    this.socket.write(Buffer.concat(out));
    this.started = true;
  }

  private async handle(m: ClientMessage): Promise<void> {
    if (this.closed) return;
    if (m.type === 'X') {
      this.socket.end();
      return;
    }
    if (this.copy) return this.handleCopy(m);
    if (this.discardUntilSync) {
      if (m.type !== 'S') return;
      this.discardUntilSync = false;
      return this.forward(SYNC);
    }
    const text = queryText(m);
    if (text !== undefined && CHANGES_SETTINGS.test(text)) this.settingsDirty = true;
    if (text !== undefined && COPY_FROM_STDIN.test(text)) return this.startCopy(m, text);
    if (NAMED_MESSAGES.has(m.type)) {
      const renamed = prefixNames(m, this.prefix);
      if (renamed.prepared) this.prepared.add(renamed.prepared);
      if (m.type === 'C' && m.body[0] === 0x53)
        this.prepared.delete(`${this.prefix}${readCString(m.body, 1).value}`);
      return this.forward(renamed.bytes);
    }
    return this.forward(m.bytes);
  }

  private async forward(bytes: Uint8Array): Promise<void> {
    const { backend } = this.ctx;
    await backend.acquire(this);
    const status = this.closed ? undefined : await backend.exec(this, bytes, (d) => this.write(d));
    backend.done(this, status);
  }

  /**
   * `COPY t (…) FROM STDIN` alone in a simple query: answer CopyInResponse and collect the data.
   * Anywhere else (inside a multi-statement query, through Parse) it is refused with an error.
   */
  private async startCopy(m: ClientMessage, text: string): Promise<void> {
    const statement = text.trim().replace(/;\s*$/, '');
    const alone = m.type === 'Q' && /^copy\b/i.test(statement) && !statement.includes(';');
    const { backend } = this.ctx;
    if (!alone) {
      this.write(
        errorResponse({
          severity: 'ERROR',
          code: '0A000',
          message: 'COPY … FROM STDIN must be sent alone, as a simple query, to puffle-sync sql',
        }),
      );
      if (m.type === 'P') this.discardUntilSync = true;
      else await this.forward(SYNC);
      return;
    }
    await backend.acquire(this);
    this.copy = { statement: statement.replace(/\bfrom\s+stdin\b/i, "from '/dev/blob'"), chunks: [] };
    this.write(copyInResponse());
    backend.done(this, undefined); // keeps the session, idle until the data arrives
  }

  private async handleCopy(m: ClientMessage): Promise<void> {
    const copy = this.copy!;
    if (m.type === 'd') {
      copy.chunks.push(Buffer.from(m.body));
      this.ctx.backend.activity(this);
      return;
    }
    if (m.type !== 'c' && m.type !== 'f') return; // Flush/Sync are ignored during COPY
    this.copy = undefined;
    const { backend } = this.ctx;
    await backend.acquire(this);
    let status: 'I' | 'T' | 'E' | undefined;
    if (m.type === 'c') {
      status = await backend.copyIn(this, copy.statement, Buffer.concat(copy.chunks), (d) => this.write(d));
    } else {
      const reason = readCString(m.body, 0).value;
      this.write(
        errorResponse({ severity: 'ERROR', code: '57014', message: `COPY from stdin failed: ${reason}` }),
      );
      status = await backend.exec(this, SYNC, (d) => this.write(d));
    }
    backend.done(this, status);
  }

  private write(data: Uint8Array): void {
    if (!this.closed && this.socket.writable) this.socket.write(data);
  }

  private fatal(code: string, message: string): void {
    if (this.closed) return;
    this.socket.end(errorResponse({ severity: 'FATAL', code, message }));
    // A client that does not close its side after a FATAL error is cut off.
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private failed(err: unknown): void {
    this.ctx.logger.warn({ err, connection: this.id }, 'sql port: connection failed');
    this.fatal('XX000', `puffle-sync sql: ${(err as Error)?.message ?? String(err)}`);
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.copy = undefined;
    this.chain = this.chain
      .catch(() => {})
      .then(() => this.cleanup())
      .catch((err) => this.ctx.logger.debug({ err, connection: this.id }, 'sql port: cleanup failed'))
      .finally(() => this.finish());
  }

  /** Frees what this client left in the shared session: statements, an open batch or transaction. */
  private async cleanup(): Promise<void> {
    const { backend } = this.ctx;
    if (this.prepared.size > 0) {
      await backend.acquire(this);
      for (const name of this.prepared) {
        const body = Buffer.from(`S${name}\0`, 'utf8');
        const header = Buffer.alloc(5);
        header.write('C', 0, 'latin1');
        header.writeInt32BE(body.length + 4, 1);
        await backend.exec(this, Buffer.concat([header, body]), () => {});
      }
      this.prepared.clear();
    }
    await backend.leave(this);
  }
}
