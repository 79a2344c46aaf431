export { AgentWatchHandler } from "./handler.js";
export { createOpenMetricsRegistry } from "./metrics.js";
export { type MetricsRequestHandler, metricsHandler } from "./metrics-endpoint.js";
export { redactSecrets } from "./redaction.js";
export { ATTR, BUCKETS, EVENT, LABEL, METRIC, OPERATION, PROVIDER, SEMCONV_VERSION, TOKEN_TYPE } from "./semconv.js";
export type { AgentWatchOptions, ContentField, EmbeddingsInfo, MetricsRegistry, RedactFn, RedactionContext } from "./types.js";
