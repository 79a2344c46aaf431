import { TraceFlags } from "@opentelemetry/api";

import { fail } from "../util/validate.js";
import type { FeedbackTokens } from "./feedback-token.js";
import type { FinishedRun, RecentRuns, RunRef } from "./recent-runs.js";
import type { RunReference } from "./types.js";

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/** The run a score or feedback is for: its reference, and the remembered run when this process has it. */
export interface ResolvedRun {
  ref: RunRef;
  /** The remembered run (for online evaluation of criticised runs), when this process has it. */
  run: FinishedRun | undefined;
}

/**
 * Finds the run a record names. A token (verified; a {@link FeedbackTokenError} when refused) or
 * trace id + span id need no memory; run id or trace id alone must be in `recent`. Undefined when
 * the run is not known.
 */
export function resolveRun(
  where: string,
  input: RunReference,
  deps: { tokens: FeedbackTokens; recent: RecentRuns },
): ResolvedRun | undefined {
  if (input.token !== undefined) {
    const claims = deps.tokens.verify(input.token);
    const { issuedAtMs: _issued, expiresAtMs: _expires, ...ref } = claims;
    return { ref, run: remembered(deps.recent, ref.spanContext.traceId, ref.spanContext.spanId) };
  }
  if (input.spanId !== undefined) {
    const traceId = typeof input.traceId === "string" ? input.traceId.toLowerCase() : "";
    const spanId = typeof input.spanId === "string" ? input.spanId.toLowerCase() : "";
    if (!TRACE_ID.test(traceId))
      fail(`${where}.traceId`, { problem: "must be 32 hex characters with spanId", fix: "pass the root span's trace id" });
    if (!SPAN_ID.test(spanId)) fail(`${where}.spanId`, { problem: "must be 16 hex characters", fix: "pass the root span's span id" });
    const run = remembered(deps.recent, traceId, spanId);
    if (run !== undefined) return { ref: run, run };
    const ref: RunRef = {
      spanContext: { traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true },
      agent: label(where, "agent", input.agent, "unknown"),
      promptVersion: label(where, "promptVersion", input.promptVersion, ""),
      feature: label(where, "feature", input.feature, ""),
    };
    return { ref, run: undefined };
  }
  const run = deps.recent.find(input);
  return run === undefined ? undefined : { ref: run, run };
}

function remembered(recent: RecentRuns, traceId: string, spanId: string): FinishedRun | undefined {
  const run = recent.find({ traceId });
  return run?.spanContext.spanId === spanId ? run : undefined;
}

function label(where: string, field: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string")
    fail(`${where}.${field}`, { problem: `must be a string, got ${typeof value}`, fix: "pass the run's label or leave it out" });
  return value;
}
