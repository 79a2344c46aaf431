import { Registry } from "prom-client";

import type { MetricsRegistry } from "./types.js";

/** A new registry that serves OpenMetrics, so exemplars are exposed. */
export function createOpenMetricsRegistry(): MetricsRegistry {
  const registry = new Registry<MetricsRegistry["contentType"]>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  return registry;
}
