/**
 * What BullMQ jobs carry: identifiers only — never the API key (each worker reads its own
 * environment) and never records (they go straight from Puffle to Postgres in the worker).
 */
import type { RequestStats } from '../../extract/index.ts';
import type { StreamName } from '../../extract/streams.ts';
import type { PageCounts, RunTrigger } from '../../load/index.ts';
import type { TraceCarrier } from '../../tracing.ts';
import type { BackfillWindow } from '../plan/units.ts';
import type { TargetedStream } from '../targeted-sync.ts';

/** The one queue every puffle-sync job goes through. */
export const QUEUE_NAME = 'sync';

export type JobName = 'run' | 'stream' | 'partition' | 'webhook';

export type { BackfillWindow } from '../plan/units.ts';

/**
 * A backfill: incremental streams walk `windows`; snapshot streams that take a date walk `days`
 * (one-day windows, for each partition); the others are re-walked in full.
 */
export interface Backfill {
  windows: BackfillWindow[];
  days?: BackfillWindow[];
}

/**
 * The W3C trace context (`traceparent`) of the span this job's spans hang under: whoever queued a
 * run, the run's span for its streams, the stream's for its partitions. Only while tracing is on.
 */
interface Traced {
  trace?: TraceCarrier;
}

export interface RunJobData extends Traced {
  /** Assigned at enqueue time, or on first processing for scheduler-made jobs. */
  runId?: string;
  trigger: RunTrigger;
  streams: StreamName[];
  fullRefresh?: boolean;
  /** `sync --queue --accept-mass-deletes` (or PUFFLE_ACCEPT_MASS_DELETES where it was enqueued): apply mass deletions now. */
  acceptMassDeletes?: boolean;
  /** Present for `backfill`. */
  backfill?: Backfill;
  /** Where a re-processed run job (after its children finished, or a crash) picks up. */
  step?: 'fanout' | 'finish';
}

export interface StreamJobData extends Traced {
  runId: string;
  stream: StreamName;
  /** The run's streams: which children to start once this stream is done. */
  streams: StreamName[];
  fullRefresh?: boolean;
  /** `sync --queue --accept-mass-deletes` (or PUFFLE_ACCEPT_MASS_DELETES where it was enqueued): apply mass deletions now. */
  acceptMassDeletes?: boolean;
  backfill?: Backfill;
  step?: 'fanout' | 'finish';
  /** Partitions (or windows) handed to another run that already had them in flight. */
  skipped?: number;
  partitions?: number;
}

export interface PartitionJobData extends Traced {
  runId: string;
  stream: StreamName;
  partition: string;
  fullRefresh?: boolean;
  /** `sync --queue --accept-mass-deletes` (or PUFFLE_ACCEPT_MASS_DELETES where it was enqueued): apply mass deletions now. */
  acceptMassDeletes?: boolean;
  window?: BackfillWindow;
}

/** A targeted sync owed to webhook events: the events themselves wait in webhook_events. */
export interface WebhookJobData {
  stream: TargetedStream;
}

/** A partition job's return value; the stream job sums them into sync_runs. */
export interface PartitionOutcome extends PageCounts, Omit<RequestStats, 'requestsByStatus'> {
  pages: number;
  /** Absent in outcomes stored (in Redis) by a worker of a version before it existed. */
  requestsByStatus?: RequestStats['requestsByStatus'];
  /** The parent row vanished (404) between listing and walking: nothing to do. */
  skipped?: boolean;
}
