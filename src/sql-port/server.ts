/**
 * `puffle-sync sql`: the embedded PGlite warehouse over the Postgres wire protocol, so psql,
 * Metabase, DBeaver and dbt can open what a sync wrote into the data directory.
 *
 * Hand-written rather than `@electric-sql/pglite-socket`: its 0.2.17 pins `@electric-sql/pglite`
 * 0.5.14 exactly plus seven extension packages as peers (we run 0.5.17), its queue hands the
 * session to another client between the messages of one extended-query batch (two clients
 * preparing statements at once get each other's), and a `COPY … FROM STDIN` reaches PGlite,
 * which aborts the whole process. Here a client owns the session from its first message to
 * ReadyForQuery-idle (backend.ts), names are per connection, COPY is run from memory
 * (connection.ts), and each client keeps its own session settings.
 */
import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { SERVED_DIR_SETTING } from '../load/served.ts';
import { type Logger, silentLogger } from '../log.ts';
import { Backend } from './backend.ts';
import { ClientConnection } from './connection.ts';
import { PortInUseError } from './errors/port-in-use-error.ts';

export interface SqlPortOptions {
  pglite: PGlite;
  /** From listenSqlPort(): the port is taken before the (slow) database opens. */
  listener?: Listener;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 = any free port. @default 5433 */
  port?: number;
  /** Absolute path of the served data directory; clients can read it as `puffle_sync.served_dir`. */
  dataDir: string;
  logger?: Logger;
  /** An owner idle this long while others wait is disconnected. @default 60000 */
  idleTimeoutMs?: number;
}

export interface SqlPort {
  host: string;
  port: number;
  /** `postgres://postgres@host:port/postgres` */
  url: string;
  connections(): number;
  /** Settles when the embedded database stopped working under the port (then close it). */
  readonly failed: Promise<Error>;
  close(): Promise<void>;
}

export const DEFAULT_SQL_PORT = 5433;

/** What Postgres reports to every client at startup (GUC_REPORT settings). */
const REPORTED = [
  'server_version',
  'server_encoding',
  'client_encoding',
  'application_name',
  'default_transaction_read_only',
  'in_hot_standby',
  'is_superuser',
  'session_authorization',
  'DateStyle',
  'IntervalStyle',
  'TimeZone',
  'integer_datetimes',
  'standard_conforming_strings',
  'search_path',
];

/** A bound, not yet serving port: connections wait (paused) until startSqlPort() serves them. */
export interface Listener {
  server: Server;
  host: string;
  pending: Socket[];
}

/** Binds the port; a taken one is a PortInUseError (exit 2). */
export async function listenSqlPort(host = '127.0.0.1', port = DEFAULT_SQL_PORT): Promise<Listener> {
  const pending: Socket[] = [];
  const server = createServer({ pauseOnConnect: true }, (socket) => pending.push(socket));
  server.listen(port, host);
  try {
    await once(server, 'listening');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new PortInUseError(host, port, { cause: err });
    throw err;
  }
  return { server, host, pending };
}

export async function startSqlPort(opts: SqlPortOptions): Promise<SqlPort> {
  const listener = opts.listener ?? (await listenSqlPort(opts.host, opts.port));
  const { server, host } = listener;
  const logger = opts.logger ?? silentLogger;
  let fail!: (err: Error) => void;
  const failed = new Promise<Error>((resolve) => {
    fail = resolve;
  });
  const baseline = new Map([[SERVED_DIR_SETTING, opts.dataDir]]);
  const backend = new Backend(opts.pglite, {
    baseline,
    idleTimeoutMs: opts.idleTimeoutMs,
    onError: (err) => {
      logger.error({ err }, 'sql port: the embedded database failed');
      fail(err instanceof Error ? err : new Error(String(err)));
    },
  });
  const serverParameters = new Map<string, string>();
  for (const name of REPORTED) {
    const { rows } = await opts.pglite.query<{ v: string | null }>('select current_setting($1, true) as v', [
      name,
    ]);
    if (rows[0]?.v != null) serverParameters.set(name, rows[0].v);
  }
  await backend.start();

  const clients = new Set<ClientConnection>();
  let nextId = 1;
  const serve = (socket: Socket) => {
    const client = new ClientConnection(nextId++, socket, { backend, serverParameters, baseline, logger });
    clients.add(client);
    logger.debug({ connection: client.id, from: socket.remoteAddress }, 'sql port: client connected');
    void client.finished.then(() => clients.delete(client));
    socket.resume();
  };
  server.removeAllListeners('connection');
  server.on('connection', serve);
  for (const socket of listener.pending.splice(0)) serve(socket);
  server.on('error', (err) => logger.warn({ err }, 'sql port: server error'));
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  const close = async () => {
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const c of clients) c.terminate('puffle-sync sql is shutting down');
    await Promise.race([
      Promise.all([...clients].map((c) => c.finished)),
      new Promise((resolve) => setTimeout(resolve, 5000).unref()),
    ]);
    for (const c of clients) c.destroy();
    backend.close();
    await stopped;
  };
  return {
    host,
    port,
    url: `postgres://postgres@${urlHost}:${port}/postgres`,
    connections: () => clients.size,
    failed,
    close: () => (closing ??= close()),
  };
}
