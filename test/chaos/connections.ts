/**
 * Cutting only our own connections on shared servers: the local TCP ports a process owns (from
 * /proc), and the Redis clients connected from those ports (CLIENT LIST → CLIENT KILL ID).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type pg from 'pg';

export function localPortsOf(pid: number): Set<number> {
  const inodes = new Set<string>();
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return new Set(); // the process is gone
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const ports = new Set<number>();
  for (const file of ['tcp', 'tcp6']) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/net/${file}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && inodes.has(cols[9]!)) ports.add(Number.parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

/** Kills the Redis connections process `pid` holds; returns how many. */
export async function killRedisClientsOf(redis: Redis, pid: number): Promise<number> {
  const ports = localPortsOf(pid);
  if (ports.size === 0) return 0;
  const list = (await redis.call('CLIENT', 'LIST')) as string;
  let killed = 0;
  for (const line of list.split('\n')) {
    const id = /\bid=(\d+)/.exec(line)?.[1];
    const port = /\baddr=[^ ]*:(\d+)\b/.exec(line)?.[1];
    if (id && port && ports.has(Number(port))) {
      killed += Number(await redis.call('CLIENT', 'KILL', 'ID', id));
    }
  }
  return killed;
}

/**
 * Terminates the Postgres connections that processes `pids` hold to `database` (found by their
 * local ports; never the server, which other tests share, nor the harness's own connections);
 * returns how many were cut.
 */
export async function terminatePostgresClientsOf(
  admin: pg.Client,
  database: string,
  pids: readonly number[],
): Promise<number> {
  const ports = pids.flatMap((pid) => [...localPortsOf(pid)]);
  if (ports.length === 0) return 0;
  const { rows } = await admin.query<{ n: number }>(
    `select count(*) filter (where pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = $1 and application_name = 'puffle-sync' and client_port = any($2::int[])`,
    [database, ports],
  );
  return rows[0]?.n ?? 0;
}
