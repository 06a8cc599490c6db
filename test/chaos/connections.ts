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
 * Terminates every Postgres connection puffle-sync holds to the world's database (never the
 * server, which other tests share) and counts them as injected faults of the world.
 */
export async function terminatePuffleConnections(
  admin: pg.Client,
  world: { databaseName: string; injected: number; restarts: number },
): Promise<void> {
  const { rowCount } = await admin.query(
    `select pg_terminate_backend(pid) from pg_stat_activity
      where application_name = 'puffle-sync' and datname = $1 and pid <> pg_backend_pid()`,
    [world.databaseName],
  );
  if ((rowCount ?? 0) > 0) {
    world.injected += rowCount ?? 0;
    world.restarts += 1;
  }
}
