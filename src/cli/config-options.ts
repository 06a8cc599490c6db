/**
 * The configuration flags every command shares. Each maps onto its environment variable
 * (SYNC-CATALOG), so a flag and a variable are validated by the same code in src/config.
 */
import type { Command } from 'commander';
import { type Config, loadConfig } from '../config/config.ts';

const FLAGS = [
  ['--key <key>', 'PUFFLE_API_KEY', 'Puffle API key (pk_live_…); prefer the environment variable'],
  ['--base-url <url>', 'PUFFLE_API_BASE_URL', 'Puffle API host (default https://app.puffle.ai)'],
  ['--database-url <url>', 'DATABASE_URL', 'Postgres to load into (default: embedded PGlite)'],
  ['--redis-url <url>', 'REDIS_URL', 'Redis for BullMQ and the shared rate budget'],
  ['--rate-limit-per-min <n>', 'PUFFLE_RATE_LIMIT_PER_MIN', 'request budget per API key (default 100)'],
  ['--schema <name>', 'PUFFLE_SYNC_SCHEMA', 'Postgres schema for all tables (default puffle)'],
  ['--data-dir <dir>', 'PUFFLE_SYNC_DATA_DIR', 'embedded PGlite directory (default ./.puffle-sync)'],
  ['--enrichment-run-ids <ids>', 'PUFFLE_ENRICHMENT_RUN_IDS', 'comma-separated enrichment run ids to follow'],
  ['--queue-prefix <prefix>', 'PUFFLE_QUEUE_PREFIX', 'BullMQ key prefix in Redis (default puffle-sync)'],
  [
    '--exclude-columns <list>',
    'PUFFLE_EXCLUDE_COLUMNS',
    'stream.field entries never stored (typed column and raw)',
  ],
  [
    '--hash-columns <list>',
    'PUFFLE_HASH_COLUMNS',
    'stream.field entries stored as a keyed SHA-256 (needs PUFFLE_HASH_KEY)',
  ],
] as const;

export function withConfigOptions(cmd: Command): Command {
  for (const [flag, env, help] of FLAGS) cmd.option(flag, `${help} [${env}]`);
  return cmd;
}

/** Flags win over the environment. */
export function configFromOptions(
  opts: Record<string, unknown>,
  extra: { requireKey?: boolean } = {},
): Config {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const [flag, name] of FLAGS) {
    const key = flag
      .slice(2)
      .split(' ')[0]!
      .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const value = opts[key];
    if (typeof value === 'string') env[name] = value;
  }
  return loadConfig(env, extra);
}
