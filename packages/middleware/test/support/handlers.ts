import { afterEach } from "vitest";

import { AgentWatchHandler, type AgentWatchOptions } from "../../src/index.js";
import { memoryTracing } from "./otel.js";

/** Returns a maker of handlers, each with its own in-memory tracing; all are shut down after each test. */
export function handlerMaker(): (options?: AgentWatchOptions) => { handler: AgentWatchHandler; tracing: ReturnType<typeof memoryTracing> } {
  const made: AgentWatchHandler[] = [];
  afterEach(() => {
    for (const h of made.splice(0)) h.shutdown();
  });
  return (options = {}) => {
    const tracing = memoryTracing();
    const handler = new AgentWatchHandler({ tracerProvider: tracing.provider, ...options });
    made.push(handler);
    return { handler, tracing };
  };
}
