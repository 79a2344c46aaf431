import { fail } from "../util/validate.js";

const TRACE_ID = /^[0-9a-f]{32}$/i;
/** Longest thread id accepted (it is a store key, never a label). */
const MAX_THREAD_ID = 256;

/** A valid outcome record: exactly one of thread id and trace id (lowercased), and a known outcome. */
export interface CheckedOutcome {
  threadId?: string;
  traceId?: string;
  outcome: string;
}

/**
 * Checks a `recordOutcome` argument against the outcome set; throws a TypeError naming the field
 * (an unknown outcome names the `outcomes.names` option that would allow it).
 */
export function checkOutcomeRecord(value: unknown, names: ReadonlySet<string>): CheckedOutcome {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    fail("recordOutcome(record)", { problem: "must be an object", fix: 'pass { threadId: "...", outcome: "resolved" }' });
  const r = value as Record<string, unknown>;
  const { threadId, traceId, outcome } = r;
  if ((threadId === undefined) === (traceId === undefined))
    fail("recordOutcome(record)", {
      problem: "must have exactly one of threadId and traceId",
      fix: "pass the conversation's thread id (gen_ai.conversation.id) or the trace id of one of its answers",
    });
  const out: CheckedOutcome = { outcome: "" };
  if (threadId !== undefined) {
    if (typeof threadId !== "string" || threadId === "" || threadId.length > MAX_THREAD_ID)
      fail('field "threadId"', {
        problem: `must be a non-empty string of at most ${MAX_THREAD_ID} characters, got ${JSON.stringify(threadId)}`,
        fix: "pass the thread_id the agent ran with",
      });
    out.threadId = threadId;
  } else {
    if (typeof traceId !== "string" || !TRACE_ID.test(traceId))
      fail('field "traceId"', {
        problem: `must be 32 hex characters, got ${JSON.stringify(traceId)}`,
        fix: "pass the trace id of an answer of the conversation",
      });
    out.traceId = traceId.toLowerCase();
  }
  if (typeof outcome !== "string" || !names.has(outcome))
    fail('field "outcome"', {
      problem: `must be one of ${[...names].join(", ")}, got ${JSON.stringify(outcome)}`,
      fix: 'pass one of them, or add the name to option "outcomes.names"',
    });
  out.outcome = outcome;
  return out;
}
