import type { IncomingMessage, ServerResponse } from "node:http";

import type { FeedbackRecord } from "./types.js";

/** A request handler for Node's http server and express alike. */
export type FeedbackRequestHandler = (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => Promise<void>;

const MAX_BODY = 16 * 1024;
const TRACE_ID = /^[0-9a-f]{32}$/i;
const RUN_ID = /^[A-Za-z0-9-]{1,64}$/;

class BadFeedback extends Error {
  readonly field: string;
  constructor(problem: { field: string; message: string }) {
    super(problem.message);
    this.field = problem.field;
  }
}

/** Validates a `POST /feedback` body; errors name the field and the fix. */
export function parseFeedback(body: unknown): FeedbackRecord {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new BadFeedback({ field: "body", message: 'body must be a JSON object such as {"trace_id": "<32 hex>", "rating": "down"}' });
  }
  const b = body as Record<string, unknown>;
  const record: FeedbackRecord = { score: 0 };
  if (b.trace_id !== undefined) {
    if (typeof b.trace_id !== "string" || !TRACE_ID.test(b.trace_id))
      throw new BadFeedback({ field: "trace_id", message: 'field "trace_id" must be 32 hex characters (the trace id of the answer)' });
    record.traceId = b.trace_id.toLowerCase();
  }
  if (b.run_id !== undefined) {
    if (typeof b.run_id !== "string" || !RUN_ID.test(b.run_id))
      throw new BadFeedback({ field: "run_id", message: 'field "run_id" must be a LangChain run id (letters, digits and dashes)' });
    record.runId = b.run_id;
  }
  if (record.traceId === undefined && record.runId === undefined)
    throw new BadFeedback({ field: "trace_id", message: 'send "trace_id" (or "run_id") of the answer the feedback is for' });
  if (b.score !== undefined) {
    if (typeof b.score !== "number" || !(b.score >= 0 && b.score <= 1))
      throw new BadFeedback({ field: "score", message: 'field "score" must be a number from 0 (bad) to 1 (good)' });
    record.score = b.score;
  } else if (b.rating === "up" || b.rating === "down") {
    record.score = b.rating === "up" ? 1 : 0;
  } else {
    throw new BadFeedback({
      field: b.rating === undefined ? "score" : "rating",
      message: 'send "score" (0..1) or "rating" ("up" or "down")',
    });
  }
  if (b.comment !== undefined) {
    if (typeof b.comment !== "string" || b.comment.length > 1000)
      throw new BadFeedback({ field: "comment", message: 'field "comment" must be a string of at most 1000 characters' });
    record.comment = b.comment;
  }
  return record;
}

async function readJson(req: IncomingMessage & { body?: unknown }): Promise<unknown> {
  if (req.body !== undefined) return req.body; // already parsed (express.json())
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BadFeedback({ field: "body", message: `body is larger than ${MAX_BODY} bytes` });
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new BadFeedback({ field: "body", message: "body is not valid JSON; send a JSON object with Content-Type: application/json" });
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.end(JSON.stringify(body));
}

/** `POST /feedback`: 202 when recorded, 400 naming the bad field, 404 when the run is unknown. */
export function feedbackHandler(record: (feedback: FeedbackRecord) => boolean): FeedbackRequestHandler {
  return async (req, res) => {
    try {
      const feedback = parseFeedback(await readJson(req));
      if (!record(feedback)) {
        reply(res, 404, { error: "no recent run has that trace_id / run_id (unknown, or forgotten after recentRuns newer runs)" });
        return;
      }
      reply(res, 202, { status: "recorded" });
    } catch (error) {
      if (error instanceof BadFeedback) reply(res, 400, { error: error.message, field: error.field });
      else reply(res, 500, { error: "feedback could not be recorded" });
    }
  };
}
