/**
 * A partition job attempt failed with an error BullMQ may retry. Its message is the failure
 * reason of the cause (`[code] Name: message`, error-mapping.ts), since BullMQ keeps only the
 * message: the stream job reads the cause's code back from it.
 */
export class PartitionFailedError extends Error {
  static readonly code = 'partition_failed';
  readonly code = PartitionFailedError.code;

  constructor(reason: string, cause: unknown) {
    super(reason, { cause });
    this.name = this.constructor.name;
  }
}
