/** A mutation named a stream, partition or id that does not exist (or an id that already does). */
export class MutationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = this.constructor.name;
  }
}
