/**
 * The dashboard against requests a web page could make through a user's browser, over a real
 * socket with the real queue: a foreign `Host` (DNS rebinding) gets 421 and changes nothing;
 * without a token Bull Board is read-only; cross-site writes (text/plain, forms, a foreign or
 * `null` Origin, Sec-Fetch-Site cross-site) are refused with 403; same-origin JSON and bodyless
 * writes from the page itself still work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../../src/dashboard/index.ts';
import { PAUSED_STATE } from '../../src/dashboard/queue-depth.ts';
import { crossSiteReason, isAllowedHost } from '../../src/dashboard/request-guards.ts';
import { openSyncQueue, type SyncQueue } from '../../src/jobs/queue/index.ts';
import { send } from '../helpers/raw-http.ts';
import { createTestDatabase, testRedisUrl, uniquePrefix } from '../helpers/services.ts';

const TOKEN = 'guard-test-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };

describe('dashboard request guards (units)', () => {
  it.each([
    ['127.0.0.1:3000', '127.0.0.1', [], true],
    ['localhost:3000', '127.0.0.1', [], true],
    ['LOCALHOST.', '127.0.0.1', [], true],
    ['[::1]:3000', '::1', [], true],
    ['10.1.2.3:3000', '0.0.0.0', [], true],
    ['dash.internal:3000', 'dash.internal', [], true],
    ['dash.internal:3000', '0.0.0.0', [], false],
    ['dash.internal:3000', '0.0.0.0', ['dash.internal'], true],
    ['Dash.Internal', '0.0.0.0', ['dash.internal'], true],
    ['attacker.example:3000', '127.0.0.1', [], false],
    ['attacker.example', '0.0.0.0', ['dash.internal'], false],
    ['127.0.0.1.attacker.example', '127.0.0.1', [], false],
    ['localhost.attacker.example', '127.0.0.1', [], false],
    [undefined, '127.0.0.1', [], false],
  ])('Host %s, bound %s, allowed %j → %s', (host, bound, allowed, ok) => {
    expect(isAllowedHost(host as string | undefined, { bound, allowed: allowed as string[] })).toBe(ok);
  });

  const req = (method: string, headers: Record<string, string>) => ({
    method,
    headers: { host: 'dash:3000', ...headers },
  });
  it.each([
    ['GET, any headers', req('GET', { 'content-type': 'text/plain', origin: 'http://evil' }), undefined],
    [
      'bodyless PUT from the page',
      req('PUT', { origin: 'http://dash:3000', 'sec-fetch-site': 'same-origin' }),
      undefined,
    ],
    ['bodyless PUT, no Origin (curl)', req('PUT', {}), undefined],
    [
      'JSON POST from the page',
      req('POST', {
        'content-type': 'application/json; charset=utf-8',
        'content-length': '2',
        origin: 'https://dash:3000',
      }),
      undefined,
    ],
    [
      'text/plain POST',
      req('POST', { 'content-type': 'text/plain', 'content-length': '2' }),
      /application\/json/,
    ],
    [
      'form POST',
      req('POST', { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '2' }),
      /application\/json/,
    ],
    [
      'multipart POST',
      req('POST', { 'content-type': 'multipart/form-data; boundary=x', 'content-length': '2' }),
      /application\/json/,
    ],
    ['a body without a type', req('PUT', { 'content-length': '5' }), /application\/json/],
    ['chunked body without a type', req('PUT', { 'transfer-encoding': 'chunked' }), /application\/json/],
    [
      'JSON from another origin',
      req('POST', { 'content-type': 'application/json', origin: 'http://evil.example' }),
      /cross-origin/,
    ],
    ['Origin: null', req('PUT', { origin: 'null' }), /cross-origin/],
    ['Sec-Fetch-Site: cross-site', req('PUT', { 'sec-fetch-site': 'cross-site' }), /cross-site/],
    ['Sec-Fetch-Site: same-site', req('DELETE', { 'sec-fetch-site': 'same-site' }), /cross-site/],
  ])('%s', (_what, request, refused) => {
    const reason = crossSiteReason(request);
    if (refused === undefined) expect(reason).toBeUndefined();
    else expect(reason).toMatch(refused);
  });
});

describe('dashboard request guards (over HTTP, against the queue)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sq: SyncQueue;
  let open: Dashboard;
  let guarded: Dashboard;
  let listed: Dashboard;
  const prefix = uniquePrefix('guards');

  beforeAll(async () => {
    db = await createTestDatabase('guards');
    sq = openSyncQueue({ redisUrl: testRedisUrl(), queuePrefix: prefix });
    await sq.queue.add('noop', {});
    const common = { databaseUrl: db.url, redisUrl: testRedisUrl(), queuePrefix: prefix, port: 0 };
    open = await startDashboard(common);
    guarded = await startDashboard({ ...common, token: TOKEN });
    listed = await startDashboard({
      ...common,
      token: TOKEN,
      host: '0.0.0.0',
      allowedHosts: ['dash.example'],
    });
  });
  afterAll(async () => {
    await open?.close();
    await guarded?.close();
    await listed?.close();
    await sq?.queue.obliterate({ force: true }).catch(() => {});
    await sq?.close();
    await db?.drop();
  });

  const hostOf = (d: Dashboard) => new URL(d.url).host;
  const jobs = () => sq.queue.getJobCountByTypes('waiting', PAUSED_STATE, 'prioritized', 'delayed');

  it('answers only Host names that are its own', async () => {
    const port = new URL(open.url).port;
    for (const path of ['/queues/api/queues', '/metrics', '/healthz', '/queues']) {
      expect((await send(`${open.url}${path}`)).status, path).not.toBe(421);
      expect(
        (await send(`${open.url}${path}`, { headers: { host: `localhost:${port}` } })).status,
        path,
      ).not.toBe(421);
      const rebound = await send(`${open.url}${path}`, { headers: { host: `attacker.example:${port}` } });
      expect(rebound.status, path).toBe(421);
      expect(rebound.body).toContain('PUFFLE_DASHBOARD_ALLOWED_HOSTS');
    }
    const named = await send(`${listed.url.replace('0.0.0.0', '127.0.0.1')}/queues/api/queues`, {
      headers: { host: `dash.example:${new URL(listed.url).port}`, ...AUTH },
    });
    expect(named.status).toBe(200);
  });

  it('a DNS-rebinding page cannot pause the queue, even with the token', async () => {
    const res = await send(`${guarded.url}/queues/api/queues/pause`, {
      method: 'PUT',
      headers: { host: `attacker.example:${new URL(guarded.url).port}`, ...AUTH },
    });
    expect(res.status).toBe(421);
    expect(await sq.queue.isPaused()).toBe(false);
  });

  it('without a token, Bull Board reads but changes nothing', async () => {
    expect((await send(`${open.url}/queues/api/queues`)).status).toBe(200);
    for (const [method, path] of [
      ['PUT', '/queues/api/queues/pause'],
      ['PUT', '/queues/api/queues/sync/pause'],
      ['PUT', '/queues/api/queues/sync/clean/waiting'],
      ['PUT', '/queues/api/queues/sync/empty'],
    ] as const) {
      const res = await send(`${open.url}${path}`, { method, headers: { host: hostOf(open) } });
      expect(res.status, path).toBe(405);
      expect(res.body).toContain('read-only');
    }
    const add = await send(`${open.url}/queues/api/queues/sync/add`, {
      method: 'POST',
      headers: { host: hostOf(open), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'injected', data: {} }),
    });
    expect(add.status).toBe(405);
    expect(await sq.queue.isPaused()).toBe(false);
    expect(await jobs()).toBe(1);
  });

  it('refuses cross-site writes: text/plain, forms, a foreign or null Origin', async () => {
    const body = JSON.stringify({ name: 'csrf', data: {} });
    const add = (headers: Record<string, string>) =>
      send(`${guarded.url}/queues/api/queues/sync/add`, {
        method: 'POST',
        headers: { host: hostOf(guarded), ...AUTH, ...headers },
        body,
      });
    const crossSite: Record<string, string>[] = [
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/x-www-form-urlencoded' },
      { 'content-type': 'application/json', origin: 'http://evil.example' },
      { 'content-type': 'application/json', origin: 'null' },
      { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of crossSite) {
      const res = await add(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
    const pause = await send(`${guarded.url}/queues/api/queues/pause`, {
      method: 'PUT',
      headers: { host: hostOf(guarded), ...AUTH, origin: 'http://evil.example' },
    });
    expect(pause.status).toBe(403);
    expect(await sq.queue.isPaused()).toBe(false);
    expect(await jobs()).toBe(1);
  });

  it('same-origin JSON and bodyless writes still work (what Bull Board itself sends)', async () => {
    const origin = guarded.url;
    const pause = await send(`${guarded.url}/queues/api/queues/sync/pause`, {
      method: 'PUT',
      headers: { host: hostOf(guarded), ...AUTH, origin, 'sec-fetch-site': 'same-origin' },
    });
    expect(pause.status, pause.body).toBe(200);
    expect(await sq.queue.isPaused()).toBe(true);
    const resume = await send(`${guarded.url}/queues/api/queues/sync/resume`, {
      method: 'PUT',
      headers: { host: hostOf(guarded), ...AUTH },
    });
    expect(resume.status).toBe(200);
    expect(await sq.queue.isPaused()).toBe(false);
    const add = await send(`${guarded.url}/queues/api/queues/sync/add`, {
      method: 'POST',
      headers: { host: hostOf(guarded), ...AUTH, origin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'from-the-board', data: {} }),
    });
    expect(add.status, add.body).toBe(200);
    expect(await jobs()).toBe(2);
  });
});
