/**
 * Freshness targets: how old each stream's last successful sync may get before it counts as
 * stale. `PUFFLE_FRESHNESS_TARGETS=leads=2h,signals=30m,*=12h` — `*` sets every stream not named;
 * unset streams get 26 h (a nightly schedule, plus two hours for the run itself).
 */
import { STREAM_NAMES } from '../extract/streams.ts';
import { InvalidValue, type Kind, list } from './kinds.ts';

export const DEFAULT_FRESHNESS_SECONDS = 26 * 3600;
/** The key of the target for every stream not named. */
export const EVERY_STREAM = '*';

/** Stream name (or `*`) → seconds. */
export type FreshnessTargets = Readonly<Record<string, number>>;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const MAX_SECONDS = 366 * 86_400;

/** `90s`, `30m`, `2h`, `1d12h` → seconds, from 1 s to 366 days; undefined when not a duration. */
export function parseDuration(raw: string): number | undefined {
  if (!/^(\d{1,6}[smhd])+$/.test(raw)) return undefined;
  let seconds = 0;
  for (const [, n, unit] of raw.matchAll(/(\d+)([smhd])/g)) seconds += Number(n) * UNIT_SECONDS[unit!]!;
  return seconds >= 1 && seconds <= MAX_SECONDS ? seconds : undefined;
}

const entry: Kind<[string, number]> = {
  expect: 'stream=duration (a stream name or *, a duration like 30m, 2h, 1d12h)',
  parse(raw) {
    const [name = '', duration = '', ...rest] = raw.split('=').map((s) => s.trim());
    if (name !== EVERY_STREAM && !(STREAM_NAMES as readonly string[]).includes(name))
      throw new InvalidValue(`names no stream (stream=duration, e.g. leads=2h; * for every other stream)`);
    const seconds = rest.length === 0 ? parseDuration(duration) : undefined;
    if (seconds === undefined)
      throw new InvalidValue('must be stream=duration, the duration from 1s to 366d like 30m, 2h or 1d12h');
    return [name, seconds];
  },
};

const entries = list(entry, { max: STREAM_NAMES.length + 1 });

export function freshnessTargets(): Kind<FreshnessTargets> {
  return {
    expect: entries.expect,
    parse(raw) {
      const out: Record<string, number> = {};
      for (const [name, seconds] of entries.parse(raw)) {
        if (name in out) throw new InvalidValue(`names ${name} twice`);
        out[name] = seconds;
      }
      return out;
    },
  };
}

export function freshnessTargetOf(targets: FreshnessTargets | undefined, stream: string): number {
  return targets?.[stream] ?? targets?.[EVERY_STREAM] ?? DEFAULT_FRESHNESS_SECONDS;
}
