import { randomUUID } from "node:crypto";
import type { AgentWatchHandler } from "@agentwatch/middleware";
import { HumanMessage } from "@langchain/core/messages";
import { trace } from "@opentelemetry/api";
import express, { type NextFunction, type Request, type Response } from "express";
import { BadRequestError, parseChatRequest } from "./chat-request.js";
import { requestSpan } from "./request-span.js";
import { createSupportGraph } from "./support-graph.js";

type SupportGraph = ReturnType<typeof createSupportGraph>;

/** The demo's HTTP API: `POST /chat`, `GET /metrics`, `GET /healthz`. */
export function createApp(options: { handler: AgentWatchHandler; graph?: SupportGraph }): express.Express {
  const { handler } = options;
  const graph = options.graph ?? createSupportGraph();
  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok", openRuns: handler.openRuns });
  });
  app.get("/metrics", (req, res) => void handler.metricsHandler()(req, res));
  app.post("/chat", requestSpan(), express.json({ limit: "64kb" }), async (req: Request, res: Response, next: NextFunction) => {
    try {
      const chat = parseChatRequest(req.body);
      const result = await graph.invoke(
        { messages: [new HumanMessage(chat.message)] },
        {
          callbacks: [handler],
          configurable: { thread_id: chat.threadId ?? randomUUID() },
          metadata: chat.userId ? { user_id: chat.userId } : {},
        },
      );
      const last = result.messages.at(-1);
      res.json({
        answer: typeof last?.content === "string" ? last.content : JSON.stringify(last?.content ?? ""),
        trace_id: trace.getActiveSpan()?.spanContext().traceId,
      });
    } catch (error) {
      next(error);
    }
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof BadRequestError) {
      res.status(400).json({ error: error.message, field: error.field });
      return;
    }
    if (error instanceof SyntaxError) {
      res.status(400).json({ error: "body is not valid JSON; send a JSON object with Content-Type: application/json", field: "body" });
      return;
    }
    res
      .status(500)
      .json({ error: error instanceof Error ? error.message : "internal error", trace_id: trace.getActiveSpan()?.spanContext().traceId });
  });
  return app;
}
