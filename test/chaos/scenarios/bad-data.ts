/**
 * Bad data from the API, injected through the simulator's mutations after a clean sync: records
 * without a primary key, wrong types (inserts and an update of a stored row), a NUL character,
 * an oversized field, unexpected new fields and SQL-looking names and values. Records without a
 * key land in rejected_records; a bad value costs only its field (NULL, listed in `_changes`),
 * never the row or its update; new fields stay in `raw`, hostile text lands as data, and every
 * other row is exact.
 */
import { sql } from 'drizzle-orm';
import type { ExpectedRecord, Mutator, Simulator } from '../../../src/simulator/index.ts';
import { SIZES } from '../sizes.ts';
import type { Scenario } from '../types.ts';
import { ChaosWorld } from '../world.ts';

const HOSTILE_ID = `lead'); drop table puffle.leads; --`;
const HOSTILE_FIELD = `"; drop table puffle.sync_state; --`;

function first(sim: Simulator, stream: 'leads' | 'campaign_leads', skip = 0): ExpectedRecord {
  let i = 0;
  for (const r of sim.expected(stream)) if (i++ === skip) return r;
  throw new Error(`${stream} has fewer than ${skip + 1} records`);
}

function stable(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sort)
      : x && typeof x === 'object'
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, sort((x as Record<string, unknown>)[k])]),
          )
        : x;
  return JSON.stringify(sort(v));
}

export const badData: Scenario = {
  name: 'bad-data',
  async run(ctx) {
    const size = SIZES[ctx.size];
    const w = await ChaosWorld.open(ctx, { label: 'bad', seed: ctx.seed, scale: size.scale });
    const clean = await w.syncInProcess();
    w.check(clean.status === 'succeeded', `clean run: ${clean.status}`);

    // With faults off nothing is injected (and the checks below must notice).
    const m: Mutator = w.faultsOn
      ? w.sim.mutate
      : { insert: () => ({}), update: () => ({}), remove: () => {} };
    const tag = (t: string) => ({ chaos_marker: `bad-${t}` });
    // Must be rejected (marker → reason fragment).
    const rejects: Record<string, string> = {
      'no-pk-lead': 'missing primary key',
      'no-pk-prospect': 'missing primary key',
      'no-pk-signal': 'missing primary key',
    };
    // Must be stored with one value dropped (marker → the typed column NULLed and listed in `_changes`).
    const drops: Record<string, string> = {
      'bad-type-lead': 'created_at',
      'nul-lead': 'title',
      'bad-type-update': 'created_at',
    };
    m.insert('leads', '', { id: null, ...tag('no-pk-lead') });
    m.insert('leads', '', { createdAt: 'not a date', ...tag('bad-type-lead') });
    const nul = m.insert('leads', '', { title: 'a\u0000b', ...tag('nul-lead') });
    const prospect = first(w.sim, 'campaign_leads');
    m.insert('campaign_leads', prospect.partition, { id: null, ...tag('no-pk-prospect') });
    const victim = first(w.sim, 'leads', 3);
    const victimId = String(victim.record.id);
    const victimBefore = stable(victim.record);
    m.update('leads', victimId, { createdAt: 'yesterday-ish', ...tag('bad-type-update') });
    m.insert('signals', '', { id: null, ...tag('no-pk-signal') });
    // Must be stored intact.
    const big = m.insert('leads', '', { title: 'x'.repeat(1_000_000), ...tag('oversized') });
    const extra = m.insert('leads', '', {
      zz_unexpected: { nested: [1, 'two', { three: null }] },
      ...tag('new-fields'),
    });
    const hostile = m.insert('leads', '', {
      id: HOSTILE_ID,
      [HOSTILE_FIELD]: `'); delete from puffle.sync_runs; --`,
      full_name: `Robert'); DROP TABLE puffle.leads;--`,
      ...tag('hostile'),
    });
    const prospectExtra = m.insert('campaign_leads', prospect.partition, {
      zz_unexpected: true,
      ...tag('prospect-new-field'),
    });

    const after = await w.syncInProcess();
    w.check(after.status === 'succeeded', `run with bad data: ${after.status} ${after.error?.message ?? ''}`);
    const rejectedCount = after.streams.reduce((n, s) => n + s.counts.rejected, 0);
    w.check(rejectedCount >= Object.keys(rejects).length, `sync summary counted ${rejectedCount} rejects`);

    await w.withDb(async (db) => {
      const rows = await db.query<{ marker: string | null; reason: string; stream: string }>(
        sql`select raw->>'chaos_marker' as marker, reason, stream from puffle.rejected_records`,
      );
      const [stored] = await db.query<{ n: number }>(
        sql`select count(*)::int as n from puffle.leads where raw->>'chaos_marker' like 'bad-%'`,
      );
      w.land('bad-record', rows.filter((r) => r.marker?.startsWith('bad-')).length + (stored?.n ?? 0));
      for (const [marker, reason] of Object.entries(rejects)) {
        const hit = rows.find((r) => r.marker === `bad-${marker}`);
        w.check(hit !== undefined, `${marker} is not in rejected_records`);
        if (hit)
          w.check(hit.reason.includes(reason), `${marker} rejected for "${hit.reason}", want "${reason}"`);
      }
      for (const good of ['oversized', 'new-fields', 'hostile', 'prospect-new-field', ...Object.keys(drops)])
        w.check(!rows.some((r) => r.marker === `bad-${good}`), `${good} was rejected`);
      const dropped = await db.query<{ marker: string; fields: string[]; nulls: string[] }>(
        sql`select raw->>'chaos_marker' as marker,
            array(select e->>'field' from jsonb_array_elements(_changes) e) as fields,
            array_remove(array[case when created_at is null then 'created_at' end,
              case when title is null then 'title' end], null) as nulls
          from puffle.leads where raw->>'chaos_marker' like 'bad-%' and _deleted_at is null`,
      );
      for (const [marker, field] of Object.entries(drops)) {
        const row = dropped.find((r) => r.marker === `bad-${marker}`);
        w.check(row !== undefined, `${marker} is not stored`);
        if (row)
          w.check(
            row.fields.includes(field) && row.nulls.includes(field),
            `${marker}: want ${field} NULL and in _changes, got _changes ${row.fields.join(',')}`,
          );
      }
      const [kept] = await db.query<{ raw: unknown; deleted: boolean }>(
        sql`select raw, _deleted_at is not null as deleted from puffle.leads where id = ${victimId}`,
      );
      w.check(
        kept !== undefined && !kept.deleted,
        'the row whose update carried a bad value is gone or soft-deleted',
      );
      w.check(
        kept !== undefined && (!w.faultsOn || stable(kept.raw) !== victimBefore),
        'the update that carried one bad value was lost',
      );
      const [tables] = await db.query<{ ok: boolean }>(
        sql`select to_regclass('puffle.leads') is not null and to_regclass('puffle.sync_state') is not null as ok`,
      );
      w.check(tables?.ok === true, 'a table named in hostile data is gone');
      const [runs] = await db.query<{ n: number }>(
        sql`select coalesce(sum(rejected), 0)::int as n from puffle.sync_runs where stream <> '*'`,
      );
      w.check((runs?.n ?? 0) >= Object.keys(rejects).length, `sync_runs counts ${runs?.n} rejected rows`);
    });
    ctx.note(`stored intact: ${[big.id, extra.id, hostile.id, prospectExtra.id].length} records`);

    // Rejected records are not in the table, and the NUL lead's `raw` was repaired (U+FFFD): the
    // oracle's "missing"/"changed" for them is expected, also in the list memberships serving it.
    const excused = new Set(['', String(nul.id)]);
    w.problems.push(...(await w.diff((_d, key) => excused.has(key) || key.endsWith(`|${nul.id}`))));
    return w.outcome(this.name, ['bad-record']);
  },
};
