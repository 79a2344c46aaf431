import type { IncomingMessage, ServerResponse } from "node:http";

import { AgentWatchHandler, metricsHandler, renderMetrics } from "@agentwatch/middleware";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";

import { median, now } from "./stats.js";

/** The Accept headers of a Prometheus scrape (OpenMetrics) and of a text-format client. */
const OPENMETRICS_ACCEPT = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5";
const TEXT_ACCEPT = "text/plain;version=0.0.4";

/** What `/metrics` takes to answer, in milliseconds, for each format it serves. */
export interface MetricsTimes {
  /** `metricsHandler`, until the body (UTF-8 bytes) is handed to `res.end`. */
  handler: number;
  /** `renderMetrics`, its body made flat (`Buffer.byteLength`, what `res.end` does to a string first). */
  render: number;
}

/**
 * Median ms `/metrics` takes once the exposition holds at least `series` series (sample lines), in
 * both formats the endpoint serves: what `metricsHandler` serves (the bytes it ends the response
 * with) and the body `renderMetrics` gives.
 */
export async function metricsRender(series: number): Promise<{ openMetrics: MetricsTimes; text: MetricsTimes; series: number }> {
  const handler = new AgentWatchHandler({ maxLabelValues: 100_000, tracerProvider: new BasicTracerProvider() });
  const serialized = { id: ["ChatOpenAI"] };
  const count = async () => (await handler.registry.metrics()).split("\n").filter((l) => l !== "" && !l.startsWith("#")).length;
  let models = 0;
  let current = await count();
  while (current < series) {
    // Each new model adds its histogram and counter series; add models in steps, then count again.
    const step = Math.max(1, Math.ceil((series - current) / 80));
    for (let i = 0; i < step; i++, models++) {
      await handler.handleChatModelStart(
        serialized as never,
        [[]],
        `m${models}`,
        undefined,
        { invocation_params: { model: `model-${models}` } },
        [],
        { ls_provider: "openai" },
      );
      await handler.handleLLMEnd(
        {
          generations: [
            [{ text: "x", message: { content: "x", usage_metadata: { input_tokens: 5, output_tokens: 5, total_tokens: 10 } } }],
          ],
        } as never,
        `m${models}`,
      );
    }
    current = await count();
  }
  const serve = metricsHandler(handler.registry);
  const response = { statusCode: 0, setHeader: () => response, end: () => response } as unknown as ServerResponse;
  const timed = async (accept: string): Promise<MetricsTimes> => {
    const served: number[] = [];
    const rendered: number[] = [];
    for (let i = 0; i < 11; i++) {
      let start = now();
      await serve({ headers: { accept } } as IncomingMessage, response);
      served.push(now() - start);
      start = now();
      Buffer.byteLength((await renderMetrics(handler.registry, accept)).body);
      rendered.push(now() - start);
    }
    return { handler: median(served), render: median(rendered) };
  };
  const openMetrics = await timed(OPENMETRICS_ACCEPT);
  const text = await timed(TEXT_ACCEPT);
  handler.shutdown();
  return { openMetrics, text, series: current };
}
