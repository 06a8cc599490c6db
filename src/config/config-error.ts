/** Bad configuration: the message is one line, names the variable, and never echoes a secret. */
export class ConfigError extends Error {
  readonly code = 'config_error';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = this.constructor.name;
  }
}
