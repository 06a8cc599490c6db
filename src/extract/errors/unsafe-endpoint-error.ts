/** A request to an endpoint that changes data in Puffle (docs/puffle-api.md, "Endpoints never called"); refused before sending. */
export class UnsafeEndpointError extends Error {
  static readonly code = 'unsafe_endpoint';
  readonly code = UnsafeEndpointError.code;

  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
  }
}
