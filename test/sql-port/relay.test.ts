/**
 * The SQL port over a real PGlite, with real node-postgres clients: clients do not see each
 * other's prepared statements, transactions or session settings; COPY FROM STDIN works (and never
 * reaches PGlite, which would abort); an owner idle in a transaction while others wait is cut off.
 */

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SqlPort, startSqlPort } from '../../src/sql-port/server.ts';

describe('sql port relay', () => {
  let pglite: PGlite;
  let port: SqlPort;
  const clients: pg.Client[] = [];
  const connect = async (opts: Partial<pg.ClientConfig> = {}) => {
    const c = new pg.Client({ connectionString: port.url, ...opts });
    c.on('error', () => {});
    await c.connect();
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    pglite = await PGlite.create();
    await pglite.exec('create table items (id int primary key, label text)');
    port = await startSqlPort({ pglite, port: 0, dataDir: '/served/dir', idleTimeoutMs: 400 });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.end().catch(() => {});
    await pglite.exec('delete from items');
  });
  afterAll(async () => {
    await port?.close();
    await pglite?.close();
  });

  it('listens on loopback and tells clients which directory it serves', async () => {
    expect(port.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    const c = await connect();
    const { rows } = await c.query("select current_setting('puffle_sync.served_dir') as dir");
    expect(rows[0].dir).toBe('/served/dir');
  });

  it('keeps the prepared statements of concurrent clients apart', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    // Same statement name, different SQL, interleaved: without per-connection names one would run the other's.
    const runs = [];
    for (let i = 0; i < 20; i++) {
      runs.push(a.query({ name: 'q', text: 'select $1::int + 1000 as v', values: [i] }));
      runs.push(b.query({ name: 'q', text: "select 'b-' || $1::text as v", values: [i] }));
    }
    const results = await Promise.all(runs);
    results.forEach((r, i) => {
      const n = Math.floor(i / 2);
      expect(r.rows[0].v).toBe(i % 2 === 0 ? n + 1000 : `b-${n}`);
    });
  });

  it('runs a transaction without another client in between, and others see it only when committed', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    await a.query('begin');
    await a.query("insert into items values (1, 'in a transaction')");
    let bDone = false;
    const bRead = b.query('select count(*)::int as n from items').then((r) => {
      bDone = true;
      return r.rows[0].n;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(bDone).toBe(false); // waits for a's transaction
    await a.query('commit');
    expect(await bRead).toBe(1);
  });

  it('keeps each client its own session settings', async () => {
    const [a, b] = await Promise.all([connect(), connect({ options: '-c TimeZone=Asia/Tokyo' })]);
    await a.query("set timezone = 'America/New_York'");
    await a.query('set search_path = pg_catalog');
    const [ta, tb] = await Promise.all([a.query('show timezone'), b.query('show timezone')]);
    expect(ta.rows[0].TimeZone).toBe('America/New_York');
    expect(tb.rows[0].TimeZone).toBe('Asia/Tokyo');
    expect((await b.query('show search_path')).rows[0].search_path).toBe('public');
    expect((await a.query('show search_path')).rows[0].search_path).toBe('pg_catalog');
    const fresh = await connect();
    expect((await fresh.query('show timezone')).rows[0].TimeZone).toBe('UTC');
  });

  it('takes COPY FROM STDIN, rolls a failed one back, and refuses one it cannot run alone', async () => {
    const c = await connect();
    const stream = c.query(copyFrom('copy items (id, label) from stdin'));
    await pipeline(Readable.from(['1\tone\n2\ttwo\n', '3\tthree\n']), stream);
    expect(stream.rowCount).toBe(3);
    await expect(
      pipeline(Readable.from(['4\tfour\nnot-a-number\tfive\n']), c.query(copyFrom('copy items from stdin'))),
    ).rejects.toThrow(/invalid input syntax for type integer/);
    await c.query('begin');
    await pipeline(Readable.from(['9\tnine\n']), c.query(copyFrom('copy items from stdin')));
    await c.query('rollback');
    expect((await c.query('select id from items order by id')).rows.map((r) => r.id)).toEqual([1, 2, 3]);
    await expect(c.query('select 1; copy items from stdin')).rejects.toThrow(/must be sent alone/);
    // The session is still usable.
    expect((await c.query('select count(*)::int as n from items')).rows[0].n).toBe(3);
  });

  it('disconnects a client idle in a transaction while others wait, rolling it back', async () => {
    const [idle, waiting] = await Promise.all([connect(), connect()]);
    await idle.query('begin');
    await idle.query("insert into items values (7, 'never committed')");
    const started = Date.now();
    const { rows } = await waiting.query('select count(*)::int as n from items');
    expect(rows[0].n).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    await expect(idle.query('select 1')).rejects.toThrow();
  });

  it('cleans up after a client that vanishes mid-transaction', async () => {
    const a = await connect();
    await a.query('begin');
    await a.query("insert into items values (8, 'abandoned')");
    (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const b = await connect();
    expect((await b.query('select count(*)::int as n from items')).rows[0].n).toBe(0);
    await b.query("insert into items values (8, 'b')"); // not blocked: a's transaction is gone
  });
});
