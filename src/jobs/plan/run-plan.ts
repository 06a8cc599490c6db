/**
 * The plan of a run, the same for both drivers: which streams, in which order, and which stream
 * each one waits for. A stream starts once its parent stream has finished when that parent is
 * part of the run (its partitions are the parent's rows); otherwise it starts at once.
 */
import {
  getStream,
  type StreamDef,
  type StreamName,
  streamsInDependencyOrder,
} from '../../extract/streams.ts';
import type { BackfillWindow } from './units.ts';

export interface RunPlan {
  runId: string;
  streams: readonly StreamName[];
  /** A full refresh, asked for or an interrupted full-refresh run this one continues. */
  fullRefresh: boolean;
  /**
   * A backfill: incremental streams walk `windows`, snapshot streams that take a date walk `days`
   * (one-day windows, for each partition), the others re-walk fully.
   */
  backfill?: { windows: readonly BackfillWindow[]; days?: readonly BackfillWindow[] };
  /**
   * Where a `configuredIds` stream finds its ids: the config, or the inline runner's options,
   * read by the setting the catalog entry names (config/catalog-settings.ts).
   */
  settings: object;
}

/** Parents before their children: the order the inline driver starts streams in. */
export function streamOrder(streams: readonly StreamName[]): StreamDef[] {
  return streamsInDependencyOrder(streams);
}

/** The stream of the run that `stream` waits for, if any. */
export function waitsFor(stream: StreamName, streams: readonly StreamName[]): StreamName | undefined {
  const parent = getStream(stream).parent?.stream;
  return parent !== undefined && streams.includes(parent) ? parent : undefined;
}

/** Streams of the run that start once `after` finished (undefined: the run's first streams). */
export function streamsStartingAfter(
  streams: readonly StreamName[],
  after: StreamName | undefined,
): StreamName[] {
  return streams.filter((name) => waitsFor(name, streams) === after);
}
