import { type Faro, getWebInstrumentations, initializeFaro } from "@grafana/faro-web-sdk";
import { TracingInstrumentation } from "@grafana/faro-web-tracing";

import type { ChatPageConfig } from "./config.js";

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Starts Grafana Faro: page errors, web vitals, session and console telemetry, and tracing, whose
 * OpenTelemetry fetch instrumentation starts a browser span for each fetch and sends its W3C
 * `traceparent` to this origin (and only here), so the express request span and the agent's spans
 * continue the browser's trace. Faro sends everything to `collectorUrl`; it never traces its own
 * collector requests. Returns undefined (and the page works untraced) if Faro cannot start.
 */
export function startFaro(config: ChatPageConfig): Faro | undefined {
  try {
    const sameOrigin = new RegExp(`^${escapeRegExp(window.location.origin)}/`);
    return initializeFaro({
      url: new URL(config.collectorUrl, window.location.href).href,
      app: config.app,
      instrumentations: [
        ...getWebInstrumentations({ captureConsole: true }),
        new TracingInstrumentation({ instrumentationOptions: { propagateTraceHeaderCorsUrls: [sameOrigin] } }),
      ],
      sessionTracking: { enabled: true, persistent: false },
    });
  } catch (error) {
    console.warn("chat page: Faro could not start; the page works without front-end telemetry", error);
    return undefined;
  }
}

/**
 * Runs `fn` with the answer's trace as the active OpenTelemetry context, so fetches it starts
 * (the feedback POST) are spans of that same trace.
 */
export function withinTrace<T>(faro: Faro | undefined, trace: { traceId: string; spanId: string } | undefined, fn: () => T): T {
  const otel = faro?.api.getOTEL();
  if (otel === undefined || trace === undefined) return fn();
  const parent = otel.trace.setSpanContext(otel.context.active(), { ...trace, traceFlags: 1, isRemote: true });
  return otel.context.with(parent, fn);
}
