import type { GuardrailStage, GuardrailVerdict } from "./types.js";

/** Thrown by a guardrail runnable or node set to `onBlock: "raise"` when a guardrail blocks. */
export class GuardrailBlockedError extends Error {
  override readonly name = "GuardrailBlockedError";

  constructor(
    readonly stage: GuardrailStage,
    readonly verdict: GuardrailVerdict,
  ) {
    const blocking = verdict.results.filter((r) => r.result.outcome === "block").map((r) => r.guardrail);
    super(`agentwatch: ${stage} blocked by guardrail ${blocking.join(", ")}`);
  }
}
