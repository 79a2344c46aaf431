import { existsSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gunzip, inflate } from "node:zlib";

import type { AgentWatchHandler } from "@agentwatch/middleware";
import express, { type Request, type Response } from "express";
import { Counter } from "prom-client";

import { type ChatPageConfig, renderChatPage } from "./chat-page-html.js";
import { faroFeedback, type FaroPayload, FaroPayloadError, frontendErrorKind, parseFaroPayload } from "./faro-payload.js";

/** The local Faro receiver's path, the page's collector unless `collectorUrl` / FARO_COLLECTOR_URL says otherwise. */
export const FARO_COLLECT_PATH = "/faro/collect";
/** The largest Faro payload the local receiver takes (after decompression), in bytes. */
export const MAX_FARO_BODY = 1024 * 1024;
/** Counts the front-end exceptions Faro reports, by bounded kind (the error's name, else "other"). */
export const FRONTEND_ERRORS_METRIC = "agentwatch_frontend_errors_total";

const ASSETS_PATH = "/chat-page";
const DEFAULT_ASSETS_DIR = fileURLToPath(new URL("../dist/public/", import.meta.url));

/** Options of {@link mountChatPage}. */
export interface ChatPageOptions {
  handler: AgentWatchHandler;
  /** Where the page's Faro sends telemetry. Default: env FARO_COLLECTOR_URL, else this server's /faro/collect. */
  collectorUrl?: string;
  /** The bundle (chat-page.js, chat-page.css). Default: packages/demo-agent/dist/public, built by `npm run build:page`. */
  assetsDir?: string;
}

function collectorUrlOf(options: ChatPageOptions): string {
  const url = options.collectorUrl ?? (process.env.FARO_COLLECTOR_URL || FARO_COLLECT_PATH);
  let ok = url.startsWith("/") && !url.startsWith("//");
  if (!ok) {
    try {
      ok = ["http:", "https:"].includes(new URL(url).protocol);
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    throw new TypeError(
      `mountChatPage: collectorUrl (or env FARO_COLLECTOR_URL) must be an http(s) URL such as http://localhost:12347/collect (Grafana Alloy's faro.receiver) or a path such as ${FARO_COLLECT_PATH}, got ${JSON.stringify(url)}`,
    );
  }
  return url;
}

/** Counts front-end errors in the handler's registry, reusing the counter if it is there already. */
function frontendErrorsCounter(registry: AgentWatchHandler["registry"]): Counter<"kind"> {
  const existing = registry.getSingleMetric(FRONTEND_ERRORS_METRIC);
  if (existing instanceof Counter) return existing as Counter<"kind">;
  if (existing !== undefined) throw new TypeError(`mountChatPage: ${FRONTEND_ERRORS_METRIC} is registered already and is not a Counter`);
  return new Counter({
    name: FRONTEND_ERRORS_METRIC,
    help: "Front-end exceptions reported by the chat page's Grafana Faro, by kind (the error's name, else other).",
    labelNames: ["kind"],
    registers: [registry],
  });
}

/** What one Faro payload did. */
export interface FaroRecordResult {
  feedbackRecorded: number;
  /** Feedback for a trace the handler does not know (never seen, or forgotten). */
  feedbackUnknown: number;
  /** Feedback events the page had recorded through POST /feedback already. */
  feedbackAlreadyRecorded: number;
  errors: number;
}

/**
 * Records a validated Faro payload: each `feedback` event through `handler.recordFeedback`
 * (the feedback metric and a `user_feedback` span in the answer's trace) unless the page
 * recorded it through POST /feedback already, and each exception (and CSP violation) in
 * `agentwatch_frontend_errors_total{kind}`. Throws a {@link FaroPayloadError} for a bad feedback
 * event before recording anything.
 */
export function recordFaroPayload(payload: FaroPayload, deps: { handler: AgentWatchHandler; errors: Counter<"kind"> }): FaroRecordResult {
  const feedback = faroFeedback(payload);
  const result: FaroRecordResult = { feedbackRecorded: 0, feedbackUnknown: 0, feedbackAlreadyRecorded: 0, errors: 0 };
  for (const f of feedback) {
    if (f.alreadyRecorded) {
      result.feedbackAlreadyRecorded++;
      continue;
    }
    const record =
      f.comment === undefined ? { traceId: f.traceId, score: f.score } : { traceId: f.traceId, score: f.score, comment: f.comment };
    if (deps.handler.recordFeedback(record)) result.feedbackRecorded++;
    else result.feedbackUnknown++;
  }
  for (const exception of payload.exceptions) {
    deps.errors.inc({ kind: frontendErrorKind(exception.type) });
    result.errors++;
  }
  for (const event of payload.events) {
    if (event.name === "securitypolicyviolation") {
      deps.errors.inc({ kind: "csp_violation" });
      result.errors++;
    }
  }
  return result;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) return Promise.reject(new FaroPayloadError("body", `body is ${declared} bytes; send at most ${limit}`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(new FaroPayloadError("body", `body is larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on("error", reject);
  });
}

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

async function faroBody(req: Request): Promise<unknown> {
  if (req.body !== undefined && !Buffer.isBuffer(req.body)) return req.body; // parsed by an app-wide body parser
  const raw = Buffer.isBuffer(req.body) ? req.body : await readBody(req, MAX_FARO_BODY);
  const encoding = String(req.headers["content-encoding"] ?? "identity").toLowerCase();
  let text: Buffer;
  if (encoding === "identity") text = raw;
  else if (encoding === "gzip" || encoding === "deflate") {
    try {
      text = await (encoding === "gzip" ? gunzipAsync : inflateAsync)(raw, { maxOutputLength: MAX_FARO_BODY });
    } catch {
      throw new FaroPayloadError("body", `body is not valid ${encoding} data, or larger than ${MAX_FARO_BODY} bytes once decompressed`);
    }
  } else {
    throw new FaroPayloadError(
      "content-encoding",
      `Content-Encoding ${JSON.stringify(encoding)} is not supported; send gzip, deflate or none`,
    );
  }
  try {
    return JSON.parse(text.toString("utf8")) as unknown;
  } catch {
    throw new FaroPayloadError("body", "body is not valid JSON; send Faro's JSON payload with Content-Type: application/json");
  }
}

/**
 * Serves the chat page on `app`: `GET /` (the page), its bundle under /chat-page/,
 * `GET /chat-page/config.json`, and `POST /faro/collect`, a local Grafana Faro receiver that
 * validates each payload (400 naming the bad field), records feedback events and counts
 * front-end errors, and answers 202. Every route handles its own errors, so it works mounted
 * before or after the app's error handler.
 */
export function mountChatPage(app: express.Express, options: ChatPageOptions): void {
  const { handler } = options;
  const assetsDir = options.assetsDir ?? DEFAULT_ASSETS_DIR;
  const collectorUrl = collectorUrlOf(options);
  const errors = frontendErrorsCounter(handler.registry);
  const config: ChatPageConfig = {
    collectorUrl,
    app: { name: "acme-support-chat", version: "0.1.0", environment: "demo" },
    chatUrl: "/chat",
    feedbackUrl: "/feedback",
  };
  const collectorOrigin = collectorUrl.startsWith("/") ? "" : ` ${new URL(collectorUrl).origin}`;
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${collectorOrigin}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  const page = renderChatPage(config, ASSETS_PATH);

  app.get("/", (_req: Request, res: Response) => {
    if (!existsSync(join(assetsDir, "chat-page.js"))) {
      res
        .status(503)
        .type("text/plain")
        .send(
          `The chat page is not built (no ${join(assetsDir, "chat-page.js")}): run npm run build (or npm run build:page -w @agentwatch/demo-agent).\n`,
        );
      return;
    }
    res.set({
      "Content-Security-Policy": csp,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "same-origin",
    });
    res.type("html").send(page);
  });
  app.get(`${ASSETS_PATH}/config.json`, (_req: Request, res: Response) => {
    res.set("Cache-Control", "no-store").json(config);
  });
  app.use(
    ASSETS_PATH,
    express.static(assetsDir, {
      index: false,
      cacheControl: true,
      maxAge: 0,
      setHeaders: (res) => res.setHeader("X-Content-Type-Options", "nosniff"),
    }),
  );
  app.post(FARO_COLLECT_PATH, async (req: Request, res: Response) => {
    try {
      const payload = parseFaroPayload(await faroBody(req));
      const result = recordFaroPayload(payload, { handler, errors });
      res.status(202).json({ status: "accepted", ...result });
    } catch (error) {
      if (error instanceof FaroPayloadError) res.status(400).json({ error: error.message, field: error.field });
      else res.status(500).json({ error: "the Faro payload could not be recorded" });
    }
  });
}
