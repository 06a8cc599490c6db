/**
 * A partition job attempt failed. BullMQ keeps only an error's message, so the original class
 * name leads the message (`RetryableError: …`) for the stream job to report it in sync_runs.
 */
export class PartitionFailedError extends Error {
  constructor(cause: Error) {
    super(`${cause.name}: ${cause.message}`, { cause });
    this.name = this.constructor.name;
  }
}
