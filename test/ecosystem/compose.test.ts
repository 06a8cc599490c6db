/**
 * docker-compose.yml stays runnable: `docker compose config` accepts it (no engine needed), the
 * key is required from the environment and never written down, and every puffle-sync service's
 * command — exactly as written in the file, with the file's environment — runs against real
 * Postgres and Redis (only `--port 0` is appended where a fixed port could clash).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/config.ts';
import { getSchedule, openSyncQueue } from '../../src/jobs/queue/index.ts';
import { type CliResult, runCli, startCli } from '../helpers/cli.ts';
import { createTestDatabase, testRedisUrl, uniquePrefix } from '../helpers/services.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMPOSE_TEXT = readFileSync(`${ROOT}docker-compose.yml`, 'utf8');
const FAKE_KEY = 'pk_live_composeTestKey0001';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  deploy?: { replicas?: number };
  ports?: string[];
}
const compose = parse(COMPOSE_TEXT, { merge: true }) as { services: Record<string, Service> };
const appServices = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);

/** `${VAR:-default}` → default, `${VAR:?msg}` → the value given here (compose interpolation, minimal). */
function interpolate(value: string, given: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g,
    (_, name: string, op?: string, arg?: string) => {
      if (given[name] !== undefined) return given[name]!;
      if (op === '-') return arg ?? '';
      throw new Error(`compose needs ${name}`);
    },
  );
}

/** A compose command found by finding a help line whose first token is `flag`. */
function helpLists(help: string, flag: string): boolean {
  return help.split('\n').some((line) =>
    line
      .trim()
      .split(/[\s,]+/)
      .includes(flag),
  );
}

/** Which compose client works here without an engine: `docker compose`, else `docker-compose`. */
function composeClient(): string[] | undefined {
  const works = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  if (works('docker', ['compose', 'version'])) return ['docker', 'compose'];
  if (works('docker-compose', ['version'])) return ['docker-compose'];
  return undefined;
}
const client = composeClient();
if (!client)
  console.warn(
    'compose config check skipped: neither `docker compose` nor `docker-compose` is installed (apt-get install -y docker-compose)',
  );

describe('docker-compose.yml', () => {
  it('has the worker (replicated), schedule and dashboard services, all from the puffle-sync image', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'dashboard',
      'dashboard-pg',
      'postgres',
      'redis',
      'schedule',
      'schedule-pg',
      'webhooks',
      'worker',
      'worker-pg',
    ]);
    // Exact tags (major.minor[.patch]): a later `up` runs what was tested, not whatever `15` means then.
    expect(compose.services.postgres!.image).toMatch(/^postgres:15\.\d+$/);
    expect(compose.services.redis!.image).toMatch(/^redis:7\.\d+\.\d+$/);
    expect(appServices.map(([name]) => name).sort()).toEqual([
      'dashboard',
      'dashboard-pg',
      'schedule',
      'schedule-pg',
      'webhooks',
      'worker',
      'worker-pg',
    ]);
    expect(compose.services.worker!.deploy?.replicas).toBeGreaterThan(1);
    expect(compose.services.schedule!.command).toEqual(['schedule']);
    // Published on the host's loopback only.
    for (const name of ['dashboard', 'dashboard-pg', 'webhooks'])
      for (const port of compose.services[name]!.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
    // Opt-in: a plain `up` must not start a receiver that has no secret.
    expect((compose.services.webhooks as { profiles?: string[] }).profiles).toEqual(['webhooks']);
  });

  it('has a postgres-queue profile that needs no Redis: its services neither use nor wait for it', () => {
    const pgQueue = Object.entries(compose.services).filter(([, s]) =>
      (s as { profiles?: string[] }).profiles?.includes('postgres-queue'),
    );
    expect(pgQueue.map(([name]) => name).sort()).toEqual(['dashboard-pg', 'schedule-pg', 'worker-pg']);
    for (const [name, s] of pgQueue) {
      expect(s.environment?.PUFFLE_QUEUE_BACKEND, name).toBe('postgres');
      expect(s.environment?.REDIS_URL, name).toBe('');
      expect(Object.keys((s as { depends_on?: object }).depends_on ?? {}), name).toEqual(['postgres']);
      // The same commands as their Redis-backed twins.
      expect(s.command, name).toEqual(compose.services[name.replace(/-pg$/, '')]!.command);
    }
  });

  it('builds on a supported Node LTS pinned to a minor, while the package still accepts Node 20', () => {
    const from = /^FROM (\S+)$/m.exec(readFileSync(`${ROOT}Dockerfile`, 'utf8'))?.[1];
    const m = /^node:(\d+)\.(\d+)-slim$/.exec(from ?? '');
    expect(m, `Dockerfile FROM ${from}`).not.toBeNull();
    // Node 22 (maintenance until 2027-04-30) or 24 (until 2028-04-30); 20 ended 2026-04-30.
    expect([22, 24]).toContain(Number(m![1]));
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('>=20.11');
  });

  it('takes the API key from the environment only: required, never written in the file or the image', () => {
    expect(compose.services.worker!.environment!.PUFFLE_API_KEY).toMatch(/^\$\{PUFFLE_API_KEY:\?/);
    expect(COMPOSE_TEXT).not.toMatch(/pk_live_[A-Za-z0-9_-]{4,}/);
    const dockerfile = readFileSync(`${ROOT}Dockerfile`, 'utf8');
    expect(dockerfile).not.toMatch(/^\s*(ENV|ARG)\b[^\n]*PUFFLE_API_KEY/m);
    expect(dockerfile).not.toMatch(/pk_live_[A-Za-z0-9_-]{4,}/);
    expect(readFileSync(`${ROOT}.dockerignore`, 'utf8')).toMatch(/^\.env$/m);
    // Only the workers call Puffle.
    for (const [name, s] of appServices)
      if (!name.startsWith('worker')) expect(s.environment?.PUFFLE_API_KEY, name).toBeUndefined();
  });

  it('runs puffle-sync commands whose --help lists every flag they use', async () => {
    // In parallel: each is a fresh CLI process.
    const results = await Promise.all(
      appServices.map(async ([name, s]) => {
        const command = s.command ?? [];
        return { name, command, result: await runCli([...command, '--help'], {}) };
      }),
    );
    for (const { name, command, result } of results) {
      expect(result.code, `${name}: ${result.stderr}`).toBe(0);
      expect(result.stdout).toContain(`Usage: puffle-sync ${command[0]} `);
      for (const flag of command.filter((a) => a.startsWith('--')))
        expect(helpLists(result.stdout, flag), `${name}: ${command[0]} ${flag}`).toBe(true);
    }
  });

  describe.skipIf(!client)('`docker compose config` (no engine needed)', () => {
    const run = (env: Record<string, string>) =>
      spawnSync(client![0]!, [...client!.slice(1), '-f', `${ROOT}docker-compose.yml`, 'config'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      });

    it('accepts the file when PUFFLE_API_KEY is set', () => {
      const result = run({ PUFFLE_API_KEY: FAKE_KEY });
      expect(result.status, result.stderr).toBe(0);
      const resolved = parse(result.stdout) as { services: Record<string, Service> };
      expect(resolved.services.worker!.environment!.PUFFLE_API_KEY).toBe(FAKE_KEY);
      expect(resolved.services.dashboard!.command).toEqual(compose.services.dashboard!.command);
    });

    it('refuses it, naming the variable, when PUFFLE_API_KEY is missing', () => {
      const result = run({});
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('PUFFLE_API_KEY');
    });
  });

  describe('services run as written against Postgres and Redis', () => {
    let db: Awaited<ReturnType<typeof createTestDatabase>>;
    const prefix = uniquePrefix('compose');
    const envOf = (name: string) => {
      const given = { PUFFLE_API_KEY: FAKE_KEY };
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(compose.services[name]!.environment ?? {}))
        env[k] = interpolate(String(v), given);
      // Only the addresses differ from the compose network.
      return { ...env, DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), PUFFLE_QUEUE_PREFIX: prefix };
    };
    const commandOf = (name: string) => compose.services[name]!.command ?? [];

    beforeAll(async () => {
      db = await createTestDatabase('compose');
    });
    afterAll(async () => {
      const sq = openSyncQueue({ redisUrl: testRedisUrl(), queuePrefix: prefix });
      await sq.queue.obliterate({ force: true }).catch(() => {});
      await sq.close();
      await db?.drop();
    });

    it('schedule: creates the nightly schedule and exits 0', async () => {
      const result = await runCli(commandOf('schedule'), envOf('schedule'));
      expect(result.code, result.stderr).toBe(0);
      const sq = openSyncQueue({ redisUrl: testRedisUrl(), queuePrefix: prefix });
      try {
        expect((await getSchedule(sq.queue))?.cron).toBe('0 2 * * *');
      } finally {
        await sq.close();
      }
    });

    it('schedule-pg: creates the nightly schedule in Postgres, with no Redis at all', async () => {
      const env = { ...envOf('schedule-pg'), REDIS_URL: undefined };
      const result = await runCli(commandOf('schedule-pg'), env);
      expect(result.code, result.stderr).toBe(0);
      const sq = openSyncQueue({ ...loadConfig(env), redisUrl: undefined });
      try {
        expect(sq.backend).toBe('postgres');
        expect((await getSchedule(sq.queue))?.cron).toBe('0 2 * * *');
      } finally {
        await sq.close();
      }
    });

    it('worker: serves /healthz and stops cleanly on SIGTERM', async () => {
      const { child, done } = startCli([...commandOf('worker'), '--port', '0'], envOf('worker'));
      const port = await waitFor(
        child,
        (out) => /"port":(\d+)[^\n]*serving \/healthz/.exec(out)?.[1],
        'stderr',
      );
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      child.kill('SIGTERM');
      const result: CliResult = await done;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout + result.stderr).not.toContain(FAKE_KEY);
    });

    it('webhooks: serves /healthz, refuses an unsigned delivery, stops cleanly on SIGTERM', async () => {
      const env = { ...envOf('webhooks'), PUFFLE_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' };
      const { child, done } = startCli([...commandOf('webhooks'), '--port', '0'], env);
      const url = await waitFor(
        child,
        (out) => /listening on (http:\/\/0\.0\.0\.0:\d+)/.exec(out)?.[1],
        'stdout',
      );
      const local = url.replace('0.0.0.0', '127.0.0.1');
      expect((await fetch(`${local}/healthz`)).status).toBe(200);
      const unsigned = await fetch(`${local}/webhooks/puffle`, {
        method: 'POST',
        body: '{"type":"signal.detected"}',
      });
      expect(unsigned.status).toBe(401);
      child.kill('SIGTERM');
      const result = await done;
      expect(result.code, result.stderr).toBe(0);
    });

    it('dashboard: serves /healthz on all interfaces (and warns that no token is set)', async () => {
      const { child, done } = startCli([...commandOf('dashboard'), '--port', '0'], envOf('dashboard'));
      const url = await waitFor(
        child,
        (out) => /listening on (http:\/\/0\.0\.0\.0:\d+)/.exec(out)?.[1],
        'stdout',
      );
      const res = await fetch(`${url.replace('0.0.0.0', '127.0.0.1')}/healthz`);
      expect(res.status).toBe(200);
      child.kill('SIGTERM');
      const result = await done;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('without PUFFLE_DASHBOARD_TOKEN');
    });
  });
});

function waitFor(
  child: ReturnType<typeof startCli>['child'],
  find: (output: string) => string | undefined,
  stream: 'stdout' | 'stderr',
): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child[stream]!.on('data', (d) => {
      out += d;
      const found = find(out);
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before it was ready: ${out}`)));
  });
}
