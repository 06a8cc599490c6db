import { printableId } from '../partition-id.ts';

/**
 * A partition id (a parent row's id, a configured run id) that cannot be used as a path segment:
 * `.`, `..`, or containing `/`, `\`, `%` or control characters. Nothing is requested for it.
 */
export class UnsafePartitionIdError extends Error {
  static readonly code = 'unsafe_partition_id';
  readonly code = UnsafePartitionIdError.code;
  readonly stream: string;
  /** The id as stored and shown (control characters escaped). */
  readonly partition: string;

  constructor(stream: string, partition: string, problem: string) {
    const shown = printableId(partition);
    super(`${stream}: partition id "${shown}" ${problem}; nothing was requested for it`);
    this.name = this.constructor.name;
    this.stream = stream;
    this.partition = shown;
  }
}
