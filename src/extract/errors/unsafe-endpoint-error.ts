/** A request to an endpoint that changes data in Puffle (SYNC-CATALOG "never call"); refused before sending. */
export class UnsafeEndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
  }
}
