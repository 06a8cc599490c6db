/**
 * After PUFFLE_EXCLUDE_COLUMNS / PUFFLE_HASH_COLUMNS changed, a full refresh brings the rows
 * already stored in line: a walk rewrites every row Puffle still returns, but not the rows it no
 * longer does (soft-deleted rows, signals past Puffle's one-year cleanup, old lead searches), nor
 * `rejected_records`. This pass applies the current policy to their stored `raw`, maps the typed
 * columns again, and writes the rows that changed, in key order, a batch per transaction. A
 * removed value cannot come back this way (only a row Puffle still returns brings it back), and a
 * value hashed under an older key keeps that hash.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { StreamDef } from '../extract/streams.ts';
import { streamTable } from './columns.ts';
import type { Database } from './database.ts';
import { mapRecord, PK_SEPARATOR, planTable } from './row-mapper.ts';

const BATCH = 1_000;

/** Rows of `stream` (and its rejected records) rewritten under the current policy; 0 when it has no rules. */
export async function reapplyPrivacy(database: Database, stream: StreamDef, runId: string): Promise<number> {
  const policy = database.privacy;
  if (!policy?.streams.has(stream.name)) return 0;
  const table = streamTable(database.tables, stream.name);
  const plan = planTable(table, stream);
  const id = (name: string) => sql.identifier(name);
  const pk = plan.primaryKey;
  const partition = plan.partitionColumn;
  const keyOf = (row: Record<string, string | null>) => pk.map((k) => row[k]).join(PK_SEPARATOR);
  let after: Record<string, string | null> | undefined;
  let changed = 0;
  for (;;) {
    const from = after
      ? sql`where (${sql.join(
          pk.map((k) => sql`t.${id(k)}`),
          sql`, `,
        )}) > (${sql.join(
          pk.map((k) => sql`${after![k]}`),
          sql`, `,
        )})`
      : sql``;
    const rows = await database.query<Record<string, string | null> & { raw_text: string }>(sql`
      select ${sql.join(
        [...new Set([...pk, ...(partition ? [partition] : [])])].map(
          (c) => sql`t.${id(c)}::text as ${id(c)}`,
        ),
        sql`, `,
      )}, t.raw::text as raw_text
      from ${table} t ${from}
      order by ${sql.join(
        pk.map((k) => sql`t.${id(k)}`),
        sql`, `,
      )}
      limit ${BATCH}`);
    if (rows.length === 0) break;
    after = rows[rows.length - 1];
    const updates: Update[] = [];
    for (const row of rows) {
      const stored = JSON.parse(row.raw_text) as Record<string, unknown>;
      const record = policy.apply(stream.name, stored);
      if (record === stored) continue;
      const date = plan.snapshotColumn ? (row[plan.snapshotColumn] ?? undefined) : undefined;
      const mapped = mapRecord(plan, record, partition ? (row[partition] ?? '') : '', undefined, date);
      if (!mapped.ok || mapped.pk !== keyOf(row)) continue; // never move a row to another key
      updates.push({
        key: row,
        values: mapped.values,
        raw: mapped.raw,
        changes: JSON.stringify(mapped.changes),
      });
    }
    if (updates.length > 0)
      await database.db.transaction((tx) => tx.execute(updateStatement(plan, updates, runId)));
    changed += updates.length;
    if (rows.length < BATCH) break;
  }
  return changed + (await reapplyToRejected(database, stream));
}

interface Update {
  key: Record<string, string | null>;
  values: (string | null)[];
  raw: string;
  /** `_changes` recomputed from the rewritten record (JSON text). */
  changes: string;
}

/**
 * Stored `_changes` entries the new mapping does not recompute (repairs of `raw`, made before it
 * was stored) are kept without their `original`: it was taken before this policy and may hold a
 * value the policy now excludes or hashes.
 */
function updateStatement(plan: ReturnType<typeof planTable>, updates: Update[], runId: string): SQL {
  const id = (name: string) => sql.identifier(name);
  const arrays = plan.columns.map(
    (_, i) => sql`${sql.param(updates.map((u) => u.values[i] ?? null))}::text[]`,
  );
  const names = plan.columns.map((c) => id(c.name));
  return sql`
    update ${plan.table} as t set
      ${sql.join(
        plan.columns.map((c) => sql`${id(c.name)} = u.${id(c.name)}::${sql.raw(c.sqlType)}`),
        sql`, `,
      )},
      raw = u.raw::jsonb, _synced_at = now(), _run_id = ${runId},
      _changes = u.changes::jsonb || coalesce((select jsonb_agg(e || '{"original": null}'::jsonb)
        from jsonb_array_elements(t._changes) e
        where not exists (select 1 from jsonb_array_elements(u.changes::jsonb) f where f->>'field' = e->>'field')), '[]'::jsonb)
    from unnest(${sql.join(arrays, sql`, `)}, ${sql.param(updates.map((u) => u.raw))}::text[],
      ${sql.param(updates.map((u) => u.changes))}::text[])
      as u(${sql.join(names, sql`, `)}, raw, changes)
    where ${sql.join(
      plan.primaryKey.map((k) => sql`t.${id(k)} = u.${id(k)}`),
      sql` and `,
    )}`;
}

async function reapplyToRejected(database: Database, stream: StreamDef): Promise<number> {
  const policy = database.privacy!;
  const rejected = database.tables.rejected_records;
  let changed = 0;
  let after = 0;
  for (;;) {
    const rows = await database.query<{ id: number; raw_text: string }>(sql`
      select id, raw::text as raw_text from ${rejected}
      where stream = ${stream.name} and id > ${after} order by id limit ${BATCH}`);
    if (rows.length === 0) break;
    after = Number(rows[rows.length - 1]!.id);
    const updates: { id: number; raw: string }[] = [];
    for (const row of rows) {
      const stored = JSON.parse(row.raw_text) as unknown;
      if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) continue;
      const record = policy.apply(stream.name, stored as Record<string, unknown>);
      if (record !== stored) updates.push({ id: Number(row.id), raw: JSON.stringify(record) });
    }
    if (updates.length > 0)
      await database.db.execute(sql`
        update ${rejected} as r set raw = u.raw::jsonb
        from unnest(${sql.param(updates.map((u) => u.id))}::bigint[], ${sql.param(updates.map((u) => u.raw))}::text[]) as u(id, raw)
        where r.id = u.id`);
    changed += updates.length;
    if (rows.length < BATCH) break;
  }
  return changed;
}
