/**
 * The units of a stream in a run: its partitions, or in a backfill of an incremental stream its
 * date windows not yet completed, of a snapshot stream that takes a date each partition's days not
 * yet walked. A unit is what one walk covers — one partition job in the queue,
 * one p-limit task inline — and what one checkpoint (its state key) and one lock belong to.
 */
import { configuredIdsOf } from '../../config/catalog-settings.ts';
import type { StreamDef } from '../../extract/streams.ts';
import { type Database, getState, listPartitions, partitionStateKey } from '../../load/index.ts';
import type { RunPlan } from './run-plan.ts';

/** `[since, until)` in ISO 8601 UTC. */
export interface BackfillWindow {
  since: string;
  until: string;
}

export interface Unit {
  stream: StreamDef;
  partition: string;
  window?: BackfillWindow;
  /** Walked from the start (see syncPartition's `fullRefresh`). */
  fullRefresh: boolean;
}

/** The sync_state key (and lock key) of a unit's walk. */
export function unitStateKey(unit: Pick<Unit, 'partition' | 'window'>): string {
  return partitionStateKey(unit.partition, unit.window);
}

export async function unitsOf(db: Database, run: RunPlan, def: StreamDef): Promise<Unit[]> {
  if (run.backfill && def.incremental) {
    const units: Unit[] = [];
    for (const window of run.backfill.windows) {
      const unit = { stream: def, partition: '', window, fullRefresh: run.fullRefresh };
      if (!(await windowDone(db, unit))) units.push(unit);
    }
    return units;
  }
  // A backfill of a stream without a time filter is a full re-walk.
  const fullRefresh = run.fullRefresh || run.backfill !== undefined;
  const partitions = await listPartitions(db, def, {
    configuredIds: configuredIdsOf(def, run.settings),
    fullRefresh,
  });
  if (run.backfill?.days && def.snapshot?.param) return snapshotUnits(db, run, def, partitions);
  return partitions.map((partition) => ({ stream: def, partition, fullRefresh }));
}

/** A backfill of a snapshot stream that takes a date: every partition on every day not yet walked. */
async function snapshotUnits(
  db: Database,
  run: RunPlan,
  def: StreamDef,
  partitions: string[],
): Promise<Unit[]> {
  const units: Unit[] = [];
  for (const window of run.backfill?.days ?? []) {
    for (const partition of partitions) {
      const unit = { stream: def, partition, window, fullRefresh: run.fullRefresh };
      if (!(await windowDone(db, unit))) units.push(unit);
    }
  }
  return units;
}

/**
 * A backfill window completed by any run (an earlier, interrupted backfill, or an overlapping one
 * that finished it after this run listed its windows) is not walked again, except in a full refresh.
 */
export async function windowDone(db: Database, unit: Unit): Promise<boolean> {
  if (!unit.window || unit.fullRefresh) return false;
  const state = await getState(db, unit.stream.name, unitStateKey(unit));
  return state?.complete === true;
}
