import type { IncomingMessage, ServerResponse } from "node:http";

import { DEFAULT_FEEDBACK_CATEGORIES } from "./feedback-options.js";
import { FeedbackTokenError, MAX_TOKEN_LENGTH } from "./feedback-token.js";
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

/**
 * Validates a `POST /feedback` body; errors name the field and the fix. `categories`: the
 * accepted `category` values (default: any is refused but the built-in set).
 */
export function parseFeedback(body: unknown, categories: readonly string[] = DEFAULT_FEEDBACK_CATEGORIES): FeedbackRecord {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new BadFeedback({ field: "body", message: 'body must be a JSON object such as {"trace_id": "<32 hex>", "rating": "down"}' });
  }
  const b = body as Record<string, unknown>;
  const record: FeedbackRecord = { score: 0 };
  if (b.feedback_token !== undefined) {
    if (typeof b.feedback_token !== "string" || b.feedback_token === "" || b.feedback_token.length > MAX_TOKEN_LENGTH)
      throw new BadFeedback({ field: "feedback_token", message: 'field "feedback_token" must be the feedback_token string of the answer' });
    record.token = b.feedback_token;
  }
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
  if (record.token === undefined && record.traceId === undefined && record.runId === undefined)
    throw new BadFeedback({
      field: "feedback_token",
      message: 'send "feedback_token" (or "trace_id" / "run_id") of the answer the feedback is for',
    });
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
  if (b.correction !== undefined) {
    if (typeof b.correction !== "string" || b.correction.length > 4000)
      throw new BadFeedback({ field: "correction", message: 'field "correction" must be a string of at most 4000 characters' });
    record.correction = b.correction;
  }
  if (b.category !== undefined) {
    if (typeof b.category !== "string" || !categories.includes(b.category))
      throw new BadFeedback({ field: "category", message: `field "category" must be one of ${categories.join(", ")}` });
    record.category = b.category;
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

/**
 * `POST /feedback`: 202 when recorded, 400 naming the bad field, 404 when the run is unknown
 * (no token, and not in memory), and for a token: 400 malformed, 403 forged / tampered / another
 * secret, 410 expired, each with `code` (`token_malformed`, `token_forged`, `token_expired`).
 */
export function feedbackHandler(
  record: (feedback: FeedbackRecord) => boolean,
  categories: readonly string[] = DEFAULT_FEEDBACK_CATEGORIES,
): FeedbackRequestHandler {
  return async (req, res) => {
    try {
      const feedback = parseFeedback(await readJson(req), categories);
      if (!record(feedback)) {
        reply(res, 404, {
          error:
            "no recent run has that trace_id / run_id (unknown, answered by another replica, or forgotten after a restart or recentRuns newer runs): send the answer's feedback_token",
        });
        return;
      }
      reply(res, 202, { status: "recorded" });
    } catch (error) {
      if (error instanceof BadFeedback) reply(res, 400, { error: error.message, field: error.field });
      else if (error instanceof FeedbackTokenError)
        reply(res, error.status, { error: error.message, field: "feedback_token", code: `token_${error.problem}` });
      else reply(res, 500, { error: "feedback could not be recorded" });
    }
  };
}
