/** A stored sync_state row does not match its schema (hand-edited, or written by another version). */
export class SyncStateInvalidError extends Error {
  static readonly code = 'sync_state_invalid';
  readonly code = SyncStateInvalidError.code;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = this.constructor.name;
  }
}
