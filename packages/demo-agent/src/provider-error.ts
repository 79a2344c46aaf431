/**
 * An error shaped like the ones provider SDKs throw (OpenAI's `RateLimitError`, `InternalServerError`):
 * an HTTP `status`, a `code` and a class-like `name`, so tracers read the status as the error type.
 */
export class ProviderError extends Error {
  readonly status: 429 | 500;
  readonly code: string;

  constructor(status: 429 | 500) {
    super(
      status === 429
        ? "429 Rate limit reached for requests (simulated by the error-burst incident)"
        : "500 The server had an error while processing your request (simulated by the error-burst incident)",
    );
    this.status = status;
    this.code = status === 429 ? "rate_limit_exceeded" : "server_error";
    this.name = status === 429 ? "RateLimitError" : "InternalServerError";
  }
}
