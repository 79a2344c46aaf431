import { type Attributes, context, type Span, SpanKind, trace, type Tracer } from "@opentelemetry/api";

import { safeJson } from "../content/capture.js";
import { clipText, num } from "../langchain/values.js";
import type { AgentWatchMetrics } from "../metrics/agentwatch-metrics.js";
import { rootInContext } from "../runs/context-activation.js";
import type { RootState } from "../runs/run-record.js";
import { ATTR, EVENT, OPERATION } from "../semconv.js";
import type { Guard } from "../util/callback-guard.js";
import { nowMs } from "../util/clock.js";
import { fail } from "../util/validate.js";
import type { GuardrailRecord, GuardrailStage } from "./types.js";

const OUTCOMES = new Set<string>(["pass", "flag", "block"]);

/**
 * Records guardrail results: an `apply_guardrail {guardrail}` span (under whatever span is
 * active: the node or runnable that runs it) with a `gen_ai.guardrail.result` event carrying the
 * outcome and the findings' positions (never the matched text), and
 * `agentwatch_guardrail_checks_total{guardrail,stage,outcome}`. A flag or block marks the run, so
 * online evaluation always looks at it.
 */
export class GuardrailRecorder {
  constructor(
    private readonly tracer: Tracer,
    private readonly metrics: AgentWatchMetrics,
    private readonly guard: Guard,
  ) {}

  /**
   * Records one guardrail result (a built-in's, or your own guardrail's) under `parent` (the run
   * that applied it), or else under the active span.
   */
  record(result: GuardrailRecord, parent?: { span: Span | undefined; root: RootState }): void {
    if (typeof result?.guardrail !== "string" || result.guardrail === "")
      fail("guardrail", { problem: "must be a non-empty name", fix: 'pass e.g. "moderation"' });
    checkStage(result.stage);
    if (!OUTCOMES.has(result.outcome))
      fail("outcome", {
        problem: `must be "pass", "flag" or "block", got ${clipText(safeJson(result.outcome))}`,
        fix: "map your guardrail's verdict to one of them",
      });
    this.guard.run("guardrail", () => {
      const findings = (result.findings ?? []).map((f) => ({
        detector: clipped(f.detector),
        type: clipped(f.type),
        start: num(f.start),
        end: num(f.end),
        ...(f.score !== undefined ? { score: f.score } : {}),
      }));
      const name = clipText(result.guardrail);
      const attributes: Attributes = {
        [ATTR.guardrailComponentName]: name,
        [ATTR.guardrailSource]: result.stage,
        [ATTR.guardrailResultType]: "outcome",
        [ATTR.guardrailResultValue]: result.outcome,
      };
      const categories = [...new Set(findings.map((f) => f.type))];
      if (categories.length > 0) attributes[ATTR.guardrailRiskCategory] = clipText(categories.join(","));
      if (typeof result.score === "number") attributes[ATTR.guardrailRiskScore] = result.score;
      if (typeof result.reason === "string") attributes[ATTR.guardrailResultReason] = clipText(result.reason);
      if (findings.length > 0) attributes[ATTR.guardrailFindings] = safeJson(findings.slice(0, 50));
      const timing = checkTiming(result);
      const span = this.tracer.startSpan(
        clipText(`${OPERATION.applyGuardrail} ${name}`),
        {
          kind: SpanKind.INTERNAL,
          ...(timing !== undefined ? { startTime: timing.start } : {}),
          attributes: {
            [ATTR.operationName]: OPERATION.applyGuardrail,
            [ATTR.providerName]: "agentwatch",
            [ATTR.guardrailComponentName]: name,
            [ATTR.guardrailSource]: result.stage,
          },
        },
        parent?.span !== undefined ? trace.setSpan(context.active(), parent.span) : context.active(),
      );
      try {
        span.addEvent(EVENT.guardrailResult, attributes, timing?.end);
      } finally {
        span.end(timing?.end);
      }
      this.metrics.quality.guardrailCheck({ guardrail: result.guardrail, stage: result.stage, outcome: result.outcome });
      if (result.outcome !== "pass") {
        const root = parent?.root ?? (rootInContext() as RootState | undefined);
        if (root !== undefined) root.flagged = true;
      }
    });
  }
}

/**
 * The check's own start and end, when the record carries a plausible pair (finite, in order, not
 * in the future); otherwise the span is timed at the moment of recording.
 */
function checkTiming(result: GuardrailRecord): { start: number; end: number } | undefined {
  const { startTime: start, endTime: end } = result;
  if (typeof start !== "number" || typeof end !== "number" || !Number.isFinite(start) || !Number.isFinite(end)) return undefined;
  if (start <= 0 || end < start || end > nowMs() + 1000) return undefined;
  return { start, end };
}

/** A name from a guardrail's result, bounded like every name agentwatch puts on a span. */
function clipped(value: string): string {
  return typeof value === "string" ? clipText(value) : value;
}

function checkStage(stage: unknown): asserts stage is GuardrailStage {
  if (stage !== "input" && stage !== "output")
    fail("stage", {
      problem: `must be "input" or "output", got ${clipText(safeJson(stage))}`,
      fix: "say which side of the model the text is on",
    });
}
