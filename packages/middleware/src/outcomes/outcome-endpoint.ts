import type { IncomingMessage, ServerResponse } from "node:http";

import type { OutcomeRecord, OutcomeResult } from "./types.js";

/** A request handler for Node's http server and express alike. */
export type OutcomeRequestHandler = (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => Promise<void>;

const MAX_BODY = 16 * 1024;

class BadOutcome extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a `POST /outcome` body: `trace_id` / `traceId` or `thread_id` / `threadId`, and `outcome`.
 * Errors name the field; the values themselves are checked by `recordOutcome`.
 */
export function parseOutcome(body: unknown): OutcomeRecord {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new BadOutcome("body", 'body must be a JSON object such as {"thread_id": "t-1", "outcome": "resolved"}');
  const b = body as Record<string, unknown>;
  const threadId = b.thread_id ?? b.threadId;
  const traceId = b.trace_id ?? b.traceId;
  if (threadId !== undefined && traceId !== undefined) throw new BadOutcome("thread_id", 'send "thread_id" or "trace_id", not both');
  if (threadId === undefined && traceId === undefined)
    throw new BadOutcome("thread_id", 'send "thread_id" (the conversation) or "trace_id" (one of its answers)');
  if (b.outcome === undefined) throw new BadOutcome("outcome", 'send "outcome", e.g. "resolved"');
  const outcome = b.outcome as string;
  return threadId !== undefined ? { threadId: threadId as string, outcome } : { traceId: traceId as string, outcome };
}

async function readJson(req: IncomingMessage & { body?: unknown }): Promise<unknown> {
  if (req.body !== undefined) return req.body; // already parsed (express.json())
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BadOutcome("body", `body is larger than ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new BadOutcome("body", "body is not valid JSON; send a JSON object with Content-Type: application/json");
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.end(JSON.stringify(body));
}

/** Field names of the HTTP body for the record's own fields, in error messages. */
const BODY_FIELD: Record<string, string> = { threadId: "thread_id", traceId: "trace_id", outcome: "outcome" };

/**
 * `POST /outcome`: 202 `{ status: "counted" | "already-decided" }`, 400 naming the bad field,
 * 404 when no turn of that conversation or trace is known.
 */
export function outcomeHandler(record: (outcome: OutcomeRecord) => Promise<OutcomeResult>): OutcomeRequestHandler {
  return async (req, res) => {
    try {
      const parsed = parseOutcome(await readJson(req));
      let result: OutcomeResult;
      try {
        result = await record(parsed);
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        const field = /field "(\w+)"/.exec(error.message)?.[1] ?? "body";
        reply(res, 400, { error: error.message.replace(/^agentwatch: /, ""), field: BODY_FIELD[field] ?? field });
        return;
      }
      if (result.status === "unknown") {
        reply(res, 404, { error: "no turn of that thread_id / trace_id is known (never seen, expired, or the state store failed)" });
        return;
      }
      reply(res, 202, { status: result.status });
    } catch (error) {
      if (error instanceof BadOutcome) reply(res, 400, { error: error.message, field: error.field });
      else reply(res, 500, { error: "outcome could not be recorded" });
    }
  };
}
