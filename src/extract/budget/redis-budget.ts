/**
 * The request budget shared through Redis by every worker process using one API key.
 *
 * Why a Lua script and not rate-limiter-flexible: RLF counts points per fixed window, and its
 * `execEvenly` spacing is computed per process, so N workers can still fire together after idle;
 * it also has no notion of a shared "blocked until" that re-schedules callers already waiting.
 * GCRA ("theoretical arrival time") in one short script reserves an exact, fleet-wide slot per
 * caller in a single round trip, is atomic, measures time with Redis `TIME` (no client clock
 * skew), and keeps the 429 block in the same place. Callers sleep locally until their slot.
 */
import { Redis } from 'ioredis';
import { intervalMs, type RequestBudget, type RequestBudgetOptions } from './request-budget.ts';
import { storeBudget } from './store-budget.ts';

// KEYS: tat, blocked. ARGV: interval ms. → { wait ms, blocked ms remaining } as strings (floats).
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
local slot = math.max(tat, now, blocked)
local nextTat = slot + tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.3f', nextTat), 'PX', math.ceil(nextTat - now) + 60000)
return { string.format('%.3f', slot - now), string.format('%.3f', math.max(0, blocked - now)) }
`;

// KEYS: blocked. ARGV: delay ms (0 = only read). → blocked ms remaining.
const BLOCK = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local blocked = tonumber(redis.call('GET', KEYS[1]) or '0')
local wanted = now + tonumber(ARGV[1])
if tonumber(ARGV[1]) > 0 and wanted > blocked then
  blocked = wanted
  redis.call('SET', KEYS[1], string.format('%.3f', blocked), 'PX', math.ceil(blocked - now) + 60000)
end
return string.format('%.3f', math.max(0, blocked - now))
`;

export function createRedisBudget(opts: RequestBudgetOptions & { redis: Redis | string }): RequestBudget {
  const interval = intervalMs(opts.perMinute, opts.safetyMargin);
  const owned = typeof opts.redis === 'string';
  const redis = typeof opts.redis === 'string' ? new Redis(opts.redis, { lazyConnect: false }) : opts.redis;
  const base = `${opts.prefix ?? 'puffle-sync'}:budget:{${opts.keyId}}`;
  const keys = { tat: `${base}:tat`, blocked: `${base}:blocked` };
  return storeBudget({
    async reserve() {
      const [wait, blocked] = (await redis.eval(TAKE, 2, keys.tat, keys.blocked, interval)) as [
        string,
        string,
      ];
      return { waitMs: Number(wait), blockedMs: Number(blocked) };
    },
    block: async (delayMs) => Number(await redis.eval(BLOCK, 1, keys.blocked, delayMs)),
    close: () =>
      owned
        ? redis.quit().then(
            () => undefined,
            () => redis.disconnect(),
          )
        : Promise.resolve(),
  });
}
