/** Thrown by the `lookup_order` tool when the (simulated) order service is down. */
export class OrderServiceError extends Error {
  constructor(message = "order service unavailable") {
    super(message);
    this.name = "OrderServiceError";
  }
}

/** Thrown by the `retrieve` node when the graph is built with `failNode: "retrieve"`. */
export class RetrieverTimeoutError extends Error {
  constructor(message = "vector store timeout") {
    super(message);
    this.name = "RetrieverTimeoutError";
  }
}
