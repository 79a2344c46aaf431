import type { IncomingMessage, ServerResponse } from "node:http";

import { Registry } from "prom-client";

import { negotiateExpositionFormat } from "./accept.js";
import { renderRegistry } from "./exposition.js";
import { PROMETHEUS_TEXT_CONTENT_TYPE, prometheusTextPieces } from "./text-format.js";
import type { MetricsRegistry } from "./types.js";

/** A request handler for Node's http server and express alike. */
export type MetricsRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** One rendered exposition and the content type to serve it with. */
export interface RenderedMetrics {
  contentType: string;
  body: string;
}

/** The body `accept` asks for, as pieces to be joined, and its content type (see {@link renderMetrics}). */
async function renderPieces(registry: MetricsRegistry, accept: string | undefined): Promise<{ contentType: string; pieces: string[] }> {
  const openMetricsRegistry = registry.contentType === Registry.OPENMETRICS_CONTENT_TYPE;
  if (!openMetricsRegistry || negotiateExpositionFormat(accept) === "openmetrics") {
    // A registry serving the text format gets what its own `metrics()` gives; so does an OpenMetrics one asked for OpenMetrics.
    return { contentType: registry.contentType, pieces: await renderRegistry(registry) };
  }
  return { contentType: PROMETHEUS_TEXT_CONTENT_TYPE, pieces: await prometheusTextPieces(registry) };
}

/**
 * Renders `registry` in the format the `accept` header asks for: OpenMetrics (with exemplars,
 * ending in `# EOF`) when the client asks for `application/openmetrics-text` at least as much as
 * for `text/plain` and the registry serves OpenMetrics; the Prometheus text format 0.0.4 otherwise.
 * Both come from the same registry, whose content type is never changed, so concurrent scrapes
 * each get their own format. The body is byte for byte what `registry.metrics()` (or
 * {@link renderPrometheusText}) gives, written by the faster renderer of `exposition.ts`.
 */
export async function renderMetrics(registry: MetricsRegistry, accept: string | undefined): Promise<RenderedMetrics> {
  const { contentType, pieces } = await renderPieces(registry, accept);
  return { contentType, body: pieces.join("") };
}

/**
 * `pieces` encoded as UTF-8, one piece at a time: never one flat string of the whole body, which
 * for 10,000 series (1.6 MB) would go to V8's large-object space and cost more than rendering it.
 */
function utf8(pieces: readonly string[]): Buffer {
  let length = 0;
  for (const piece of pieces) length += Buffer.byteLength(piece);
  const body = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const piece of pieces) offset += body.write(piece, offset);
  return body;
}

/**
 * Serves `registry` at `/metrics`, in the format each scrape's `Accept` header asks for (see
 * {@link renderMetrics}), the same bytes `renderMetrics`' body encodes to.
 */
export function metricsHandler(registry: MetricsRegistry): MetricsRequestHandler {
  return async (req, res) => {
    try {
      const { contentType, pieces } = await renderPieces(registry, req.headers.accept);
      const body = utf8(pieces);
      res.statusCode = 200;
      res.setHeader("Content-Type", contentType);
      res.setHeader("Vary", "Accept");
      res.end(body);
    } catch (error) {
      res.statusCode = 500;
      res.setHeader("Content-Type", "text/plain; charset=utf-8");
      res.end(`metrics collection failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  };
}
