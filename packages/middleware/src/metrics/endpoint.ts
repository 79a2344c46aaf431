import type { IncomingMessage, ServerResponse } from "node:http";

import type { MetricsRegistry } from "./types.js";

/** A request handler for Node's http server and express alike. */
export type MetricsRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Serves `registry` with its own content type (OpenMetrics for an OpenMetrics registry). */
export function metricsHandler(registry: MetricsRegistry): MetricsRequestHandler {
  return async (_req, res) => {
    try {
      const body = await registry.metrics();
      res.statusCode = 200;
      res.setHeader("Content-Type", registry.contentType);
      res.end(body);
    } catch (error) {
      res.statusCode = 500;
      res.setHeader("Content-Type", "text/plain; charset=utf-8");
      res.end(`metrics collection failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  };
}
