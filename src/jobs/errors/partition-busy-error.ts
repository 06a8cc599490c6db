/** Another process (a queue worker, most likely) is walking this partition right now. */
export class PartitionBusyError extends Error {
  static readonly code = 'partition_busy';
  readonly code = PartitionBusyError.code;
  readonly stream: string;
  readonly partition: string;

  constructor(stream: string, partition: string, options?: ErrorOptions) {
    super(
      `${stream}${partition ? ` partition ${partition}` : ''} is being walked by another puffle-sync process; it was left to that process`,
      options,
    );
    this.name = this.constructor.name;
    this.stream = stream;
    this.partition = partition;
  }
}
