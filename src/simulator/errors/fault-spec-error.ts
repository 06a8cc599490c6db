/** A `--faults` spec (or admin fault body) that cannot be parsed. */
export class FaultSpecError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = this.constructor.name;
  }
}
