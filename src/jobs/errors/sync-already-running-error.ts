/** Another inline sync holds this database's schema: starting a second walk would only duplicate its work. */
export class SyncAlreadyRunningError extends Error {
  static readonly code = 'sync_already_running';
  readonly code = SyncAlreadyRunningError.code;
  readonly schema: string;

  constructor(schema: string, options?: ErrorOptions) {
    super(
      `another puffle-sync sync is already running against schema "${schema}"; it will bring every table up to date — run again after it finishes`,
      options,
    );
    this.name = this.constructor.name;
    this.schema = schema;
  }
}
