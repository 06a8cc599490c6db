/** Bad configuration: the message is one line, names the variable, and never echoes a secret. */
export class ConfigError extends Error {
  static readonly code: string = 'config_error';
  /** Subclasses name their own (DatabaseLockedError: `database_locked`); all exit 2. */
  readonly code: string = ConfigError.code;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = this.constructor.name;
  }
}
