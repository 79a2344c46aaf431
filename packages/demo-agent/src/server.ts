import { randomUUID } from "node:crypto";

import type { CanaryProber } from "@agentwatch/eval";
import { type LatencyProfile, messageText, ProviderError } from "@agentwatch/fixtures";
import { type AgentWatchHandler, blockedByGuardrail, SYNTHETIC } from "@agentwatch/middleware";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { type BaseMessage, HumanMessage } from "@langchain/core/messages";
import { trace } from "@opentelemetry/api";
import express, { type NextFunction, type Request, type Response } from "express";

import { adminRouter } from "./admin.js";
import { mountAlertsInbox } from "./alerts-inbox.js";
import { BadRequestError, type ChatRequest, parseChatRequest } from "./chat-request.js";
import { type DemoCanaryOptions, startDemoCanaries } from "./demo-canaries.js";
import { DEMO_AGENT_NAME } from "./demo-handler.js";
import { DemoMetrics } from "./demo-metrics.js";
import type { SupportGraph, SupportGuardrails } from "./guarded-support-graph.js";
import { IncidentController } from "./incidents.js";
import { requestSpan } from "./request-span.js";
import { openEventStream } from "./sse.js";
import { DEFAULT_RECURSION_LIMIT, SupportRuntime } from "./support-runtime.js";

/** Options of {@link createApp}. */
export interface AppOptions {
  handler: AgentWatchHandler;
  /** A fixed graph for every request. Default: the incident-aware {@link SupportRuntime} graphs. */
  graph?: SupportGraph;
  /** The incidents the admin API starts and stops. Default: a new controller with none active. */
  incidents?: IncidentController;
  /** Divides every simulated delay; e.g. 50 in tests. Default 1. */
  speed?: number;
  /** Seed of the scripted model's latency and failures. Default 1. */
  seed?: number;
  /** A real provider's chat model. Default: the offline scripted model. */
  model?: BaseChatModel;
  /** The scripted model's delay distributions. Default: `REALISTIC_LATENCY`. */
  latency?: LatencyProfile;
  /** Guardrail nodes around the agent. Default true. */
  guardrails?: boolean | SupportGuardrails;
  /** Admin bearer token. Default: `process.env.ADMIN_TOKEN` (pass undefined explicitly for none). */
  adminToken?: string | undefined;
  /** The client's address for the admin loopback check. Default: the socket's remote address. */
  remoteAddress?: (req: Request) => string | undefined;
  /** Canary probes of the app's own graph (in process, synthetic, metrics on the handler's registry). Default none; `app.locals.canaries` holds the prober. */
  canaries?: DemoCanaryOptions;
  /** Adds more routes (e.g. the chat page); called after the API routes, before the error handler. */
  mount?: (app: express.Express) => void;
}

/**
 * The body of a finished chat: the answer, its trace id, whether a guardrail wrote it, and the
 * signed token any replica accepts feedback with (when the handler has a feedback secret).
 */
interface ChatAnswer {
  answer: string;
  trace_id: string | undefined;
  blocked: boolean;
  feedback_token?: string;
}

function activeTraceId(): string | undefined {
  return trace.getActiveSpan()?.spanContext().traceId;
}

function answerOf(state: { messages: BaseMessage[] }, token: string | undefined): ChatAnswer {
  const last = state.messages.at(-1);
  const answer: ChatAnswer = {
    answer: last === undefined ? "" : messageText(last),
    trace_id: activeTraceId(),
    blocked: blockedByGuardrail(state),
  };
  if (token !== undefined) answer.feedback_token = token;
  return answer;
}

/** The text a `messages`-mode stream item adds to the answer: AI text only (no tool calls, tool results or user input). */
function streamedText(item: unknown): string {
  const [message] = Array.isArray(item) ? (item as [BaseMessage | undefined]) : [undefined];
  if (message === undefined || typeof message.getType !== "function" || message.getType() !== "ai") return "";
  return messageText(message);
}

function wantsEventStream(req: Request): boolean {
  const stream = req.query.stream;
  if (stream === "1" || stream === "true") return true;
  return (req.get("accept") ?? "").toLowerCase().includes("text/event-stream");
}

/** `raw` re-serialized (cut to 80 characters) when it is valid JSON, else undefined. */
function validJsonOf(raw: unknown): string | undefined {
  if (typeof raw !== "string") return undefined;
  try {
    const text = JSON.stringify(JSON.parse(raw));
    return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  } catch {
    return undefined;
  }
}

/** An error as an HTTP status and a JSON body that says what went wrong. */
export function describeError(error: unknown): { status: number; body: Record<string, unknown> } {
  if (error instanceof BadRequestError) return { status: 400, body: { error: error.message, field: error.field } };
  const e = (error ?? {}) as { name?: unknown; type?: unknown; status?: unknown; message?: unknown; limit?: unknown; expose?: unknown };
  // body-parser's errors (express.json): bad JSON, too large, bad charset.
  if (typeof e.type === "string" && typeof e.status === "number" && e.status >= 400 && e.status < 500) {
    if (e.type === "entity.parse.failed") {
      const json = validJsonOf((error as { body?: unknown }).body);
      if (json !== undefined) {
        // Valid JSON that is not an object or array, which express.json (strict) refuses: say what it was.
        return { status: 400, body: { error: `body must be a JSON object such as {"message": "..."}, got ${json}`, field: "body" } };
      }
      return {
        status: 400,
        body: { error: "body is not valid JSON; send a JSON object with Content-Type: application/json", field: "body" },
      };
    }
    if (e.type === "entity.too.large")
      return { status: 413, body: { error: `body is larger than ${String(e.limit)} bytes`, field: "body" } };
    return { status: e.status, body: { error: String(e.message), field: "body" } };
  }
  // Other http-errors (express's own, e.g. a malformed URL): client errors as they are.
  if (typeof e.expose === "boolean" && typeof e.status === "number" && e.status >= 400 && e.status < 500) {
    return { status: e.status, body: { error: String(e.message) } };
  }
  if (error instanceof SyntaxError) {
    return {
      status: 400,
      body: { error: "body is not valid JSON; send a JSON object with Content-Type: application/json", field: "body" },
    };
  }
  if (e.name === "GraphRecursionError") {
    return {
      status: 500,
      body: {
        error: "the agent stopped without an answer: it reached its step limit (recursion limit), e.g. stuck calling a tool",
        code: "agent_step_limit",
      },
    };
  }
  if (error instanceof ProviderError || (typeof e.status === "number" && e.status >= 400)) {
    return {
      status: 502,
      body: { error: `the model provider failed: ${String(e.message)}`, code: "provider_error", provider_status: e.status },
    };
  }
  return { status: 500, body: { error: error instanceof Error ? error.message : "internal error" } };
}

/**
 * The demo's HTTP API: `POST /chat` (JSON, or Server-Sent Events with `Accept: text/event-stream`
 * or `?stream=1`), `POST /feedback`, `POST /outcome`, `GET /metrics`, `GET /healthz`, and the loopback-or-token
 * admin API `GET /admin/incidents`, `POST|DELETE /admin/incidents/:name`.
 */
export function createApp(options: AppOptions): express.Express {
  const { handler } = options;
  const incidents = options.incidents ?? new IncidentController();
  const metrics = new DemoMetrics(handler.registry);
  metrics.incidents(incidents.list());
  incidents.onChange((active) => metrics.incidents(active));
  const runtime = new SupportRuntime({
    handler,
    incidents,
    ...(options.speed !== undefined ? { speed: options.speed } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.model !== undefined ? { model: options.model } : {}),
    ...(options.latency !== undefined ? { latency: options.latency } : {}),
    ...(options.guardrails !== undefined ? { guardrails: options.guardrails } : {}),
  });
  const current = () =>
    options.graph !== undefined ? { graph: options.graph, recursionLimit: DEFAULT_RECURSION_LIMIT } : runtime.current();
  const canaries: CanaryProber | undefined =
    options.canaries === undefined ? undefined : startDemoCanaries(handler, current, DEMO_AGENT_NAME, options.canaries);
  const feedback = handler.feedbackHandler();
  const outcome = handler.outcomeHandler();
  const metricsEndpoint = handler.metricsHandler();

  const app = express();
  app.disable("x-powered-by");
  app.locals.canaries = canaries;
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok", openRuns: handler.openRuns });
  });
  app.get("/metrics", (req, res) => void metricsEndpoint(req, res));

  app.post("/chat", requestSpan(), express.json({ limit: "64kb" }), async (req: Request, res: Response, next: NextFunction) => {
    try {
      const chat = parseChatRequest(req.body);
      const { graph, recursionLimit } = current();
      const input = { messages: [new HumanMessage(chat.message)] };
      // A canary over HTTP marks its request synthetic: kept out of feedback, online evaluation and outcomes.
      const config = runConfig(chat, recursionLimit, req.get(SYNTHETIC.header) === "1");
      const token = () => handler.feedbackToken({ runId: config.runId });
      if (!wantsEventStream(req)) {
        const state = await graph.invoke(input, config);
        res.json(answerOf(state, token()));
        return;
      }
      await streamChat(res, graph, input, config, token);
    } catch (error) {
      next(error);
    }
  });

  app.post("/feedback", requestSpan(), express.json({ limit: "16kb" }), (req: Request, res: Response, next: NextFunction) => {
    feedback(req, res).catch(next);
  });

  app.post("/outcome", requestSpan(), express.json({ limit: "16kb" }), (req: Request, res: Response, next: NextFunction) => {
    outcome(req, res).catch(next);
  });

  app.use(
    "/admin",
    express.json({ limit: "1kb" }),
    adminRouter({
      incidents,
      token: "adminToken" in options ? options.adminToken : process.env.ADMIN_TOKEN,
      ...(options.remoteAddress !== undefined ? { remoteAddress: options.remoteAddress } : {}),
    }),
  );

  mountAlertsInbox(app);
  options.mount?.(app);

  // Anything else gets a JSON answer that names what exists, not Express's HTML page.
  app.all("/chat", (req: Request, res: Response) => {
    res
      .status(405)
      .set("Allow", "POST")
      .json({ error: `${req.method} /chat is not supported: send POST /chat with {"message": "..."}`, code: "method_not_allowed" });
  });
  app.use((req: Request, res: Response) => {
    res.status(404).json({
      error: `no route ${req.method} ${req.path}: the API is POST /chat, POST /feedback, POST /outcome, GET /metrics, GET /healthz and /admin/incidents`,
      code: "not_found",
    });
  });

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const { status, body } = describeError(error);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(status).json(status >= 500 ? { ...body, trace_id: activeTraceId() } : body);
  });
  return app;

  function runConfig(chat: ChatRequest, recursionLimit: number, synthetic = false) {
    return {
      callbacks: [handler],
      // The root run's id, so the answer's feedback token is for this run and no other.
      runId: randomUUID(),
      configurable: { thread_id: chat.threadId ?? randomUUID() },
      metadata: { ...(chat.userId ? { user_id: chat.userId } : {}), ...(synthetic ? { [SYNTHETIC.metadataKey]: true } : {}) },
      recursionLimit,
    };
  }
}

/**
 * Runs the graph in `messages` + `values` stream mode and sends `token` events (each chunk of the
 * answer, in order, with its index), then `done` (the final answer, which an output guardrail may
 * have replaced, the trace id, and `blocked`), or `error` (message, code and trace id).
 */
async function streamChat(
  res: Response,
  graph: SupportGraph,
  input: { messages: BaseMessage[] },
  config: Record<string, unknown>,
  token: () => string | undefined,
): Promise<void> {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort(new Error("client closed the connection"));
  });
  const events = openEventStream(res);
  let index = 0;
  let final: { messages: BaseMessage[] } | undefined;
  try {
    const stream = await graph.stream(input, { ...config, streamMode: ["messages", "values"], signal: controller.signal });
    for await (const [mode, value] of stream as AsyncIterable<[string, unknown]>) {
      if (mode === "values") {
        final = value as { messages: BaseMessage[] };
        continue;
      }
      const text = streamedText(value);
      if (text !== "") events.send("token", { index: index++, text });
    }
    events.send("done", answerOf(final ?? { messages: [] }, token()));
  } catch (error) {
    if (!controller.signal.aborted) events.send("error", { ...describeError(error).body, trace_id: activeTraceId() });
  } finally {
    events.end();
  }
}
