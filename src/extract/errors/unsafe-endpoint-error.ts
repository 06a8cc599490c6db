/** A request to an endpoint that changes data in Puffle (docs/puffle-api.md, "Endpoints never called"); refused before sending. */
export class UnsafeEndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
  }
}
