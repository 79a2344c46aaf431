import type { HarmfulContentCategory } from "./detectors/harmful-content-rules.js";

/** Where a guardrail looks: at what goes into the model / agent, or at what comes out. */
export type GuardrailStage = "input" | "output";

/** A guardrail's decision: let it through, let it through but record it, or stop it. */
export type GuardrailOutcome = "pass" | "flag" | "block";

/** One detection; positions only, never the matched text. */
export interface GuardrailFinding {
  detector: string;
  type: string;
  start: number;
  end: number;
  score?: number;
}

/** What one guardrail check returns. */
export interface GuardrailResult {
  outcome: GuardrailOutcome;
  findings?: GuardrailFinding[];
  /** 0..1 risk score, when the guardrail has one. */
  score?: number;
  /** Low-cardinality reason; never user text. */
  reason?: string;
}

/** A guardrail: a name (a bounded metric label) and a check of one text. */
export interface Guardrail {
  name: string;
  check(text: string): GuardrailResult | Promise<GuardrailResult>;
}

/** The result of several guardrails on one text: the worst outcome, and each guardrail's result. */
export interface GuardrailVerdict {
  outcome: GuardrailOutcome;
  results: { guardrail: string; result: GuardrailResult }[];
}

/** A guardrail result produced elsewhere (your moderation API, say), recorded through agentwatch. */
export interface GuardrailRecord extends GuardrailResult {
  guardrail: string;
  stage: GuardrailStage;
  /**
   * When the check started and ended (milliseconds since the epoch, fractions allowed), so the
   * `apply_guardrail` span times the check itself; without them the span is instantaneous at the
   * moment of recording. applyGuardrails / guardrailNode / guardrailRunnable set both.
   */
  startTime?: number;
  endTime?: number;
}

/** What a guardrail runnable or node does on a block: raise a {@link GuardrailBlockedError}, or replace the text. */
export type GuardrailBlockAction = "raise" | { replaceWith: string };

/** Options of `harmfulContentGuardrail`. */
export interface HarmfulContentGuardrailOptions {
  /** The outcome when a rule matches. Default "block" (at the output stage, a block pages). */
  onMatch?: "flag" | "block";
  /** The categories to check. Default all of `HARMFUL_CONTENT_CATEGORIES`. */
  categories?: readonly HarmfulContentCategory[];
}
