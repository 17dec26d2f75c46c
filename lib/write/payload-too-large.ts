/** A request body over its route's limit: answered 413. */
export class PayloadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than the limit of ${Math.round(limit / 1024 / 1024)} MB`);
  }
}
