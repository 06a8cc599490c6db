/**
 * The last line of defence of a page commit: when Postgres refuses the page with a data error
 * that validation did not foresee (a CHECK constraint or trigger an operator added, a type rule
 * we missed), find exactly which rows it refuses by bisecting them, so the page can be committed
 * without them and they go to `rejected_records`. A stream is then never stuck on one record.
 *
 * Every probe runs in one transaction that is always rolled back, each half under its own
 * savepoint with constraints checked at once (deferred ones included): nothing a probe writes
 * survives, and the real commit afterwards is the ordinary all-or-nothing page transaction.
 * k refused rows among n cost about 2·k·log2(n) probes.
 */
import { sql } from 'drizzle-orm';
import type { Database, Executor } from './database.ts';
import type { TablePlan } from './row-mapper.ts';
import { sqlStateOf } from './sql-state.ts';
import { type UpsertRow, upsertRows } from './upsert.ts';

/** Class 22 (data exception), and the integrity errors one row can cause on its own. */
const CHECK_VIOLATION = '23514';
const NOT_NULL_VIOLATION = '23502';

export function isRowDataError(err: unknown): boolean {
  const code = sqlStateOf(err);
  return (
    code !== undefined && (code.startsWith('22') || code === CHECK_VIOLATION || code === NOT_NULL_VIOLATION)
  );
}

export interface RefusedRow {
  index: number;
  sqlState: string;
  message: string;
}

class ProbeDone extends Error {
  static readonly code = 'probe_done';
  readonly code = ProbeDone.code;
}

/** The rows (by index) Postgres refuses on their own, with why; empty when none does. */
export async function findRefusedRows(
  database: Database,
  plan: TablePlan,
  rows: readonly UpsertRow[],
  runId: string,
): Promise<RefusedRow[]> {
  const refused: RefusedRow[] = [];
  const probe = async (tx: Executor, from: number, to: number): Promise<void> => {
    await tx.execute(sql`savepoint refused_rows_probe`);
    let failure: unknown;
    try {
      await upsertRows(tx, plan, rows.slice(from, to), runId);
    } catch (err) {
      failure = err;
    }
    await tx.execute(sql`rollback to savepoint refused_rows_probe`);
    await tx.execute(sql`release savepoint refused_rows_probe`);
    if (failure === undefined) return;
    if (!isRowDataError(failure)) throw failure;
    if (to - from === 1) {
      refused.push({ index: from, sqlState: sqlStateOf(failure) ?? '', message: messageOf(failure) });
      return;
    }
    const middle = from + Math.ceil((to - from) / 2);
    await probe(tx, from, middle);
    await probe(tx, middle, to);
  };
  await database.db
    .transaction(async (tx) => {
      await tx.execute(sql`set constraints all immediate`);
      if (rows.length > 0) await probe(tx, 0, rows.length);
      throw new ProbeDone();
    })
    .catch((err: unknown) => {
      if (!(err instanceof ProbeDone)) throw err;
    });
  return refused;
}

/** The database's own message (the innermost one in the cause chain). */
function messageOf(err: unknown): string {
  let message = err instanceof Error ? err.message : String(err);
  for (let e = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (e instanceof Error && sqlStateOf(e) !== undefined && (e as { code?: unknown }).code)
      message = e.message;
  }
  return message;
}
