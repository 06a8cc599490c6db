/** The sync was asked to stop (SIGINT/SIGTERM) before a walk reached its end; checkpoints are kept. */
export class SyncInterruptedError extends Error {
  static readonly code = 'sync_interrupted';
  readonly code = SyncInterruptedError.code;

  constructor(options?: ErrorOptions) {
    super(
      'stopped before the walk reached its end; the next sync resumes from the last committed page',
      options,
    );
    this.name = this.constructor.name;
  }
}
