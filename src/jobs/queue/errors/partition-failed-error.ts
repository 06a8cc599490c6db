/**
 * A partition job attempt failed. BullMQ keeps only an error's message, so the original class
 * name leads the message (`RetryableError: …`) for the stream job to report it in sync_runs.
 */
import { errorSummary } from '../../../error-summary.ts';

export class PartitionFailedError extends Error {
  constructor(cause: Error) {
    const { name, message } = errorSummary(cause);
    super(`${name}: ${message}`, { cause });
    this.name = this.constructor.name;
  }
}
