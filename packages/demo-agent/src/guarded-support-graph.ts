import {
  createSupportGraph as createFixtureGraph,
  type SupportGraph,
  type SupportGraphOptions as FixtureGraphOptions,
} from "@agentwatch/fixtures";
import {
  blockedByGuardrail,
  type Guardrail,
  guardrailNode,
  harmfulContentGuardrail,
  piiGuardrail,
  promptInjectionGuardrail,
} from "@agentwatch/middleware";

export type { SupportGraph };

/** What the input guardrail answers instead of the agent when it blocks a message. */
export const INPUT_REFUSAL = "Sorry, I can't help with that request. I'm happy to help with orders, shipping, refunds or your account.";

/** What replaces an answer the output guardrail blocks. */
export const OUTPUT_REFUSAL =
  "Sorry, I can't share that answer: it contained personal data or content we never send. Please contact us by phone instead.";

/** The guardrails of {@link createSupportGraph}: lists for each stage. */
export interface SupportGuardrails {
  /** Applied to the user's message before anything else. Default: `piiGuardrail()` (flags) and `promptInjectionGuardrail()`. */
  input?: readonly Guardrail[];
  /** Applied to the final answer. Default: `piiGuardrail({ onMatch: "block" })` and `harmfulContentGuardrail()`. */
  output?: readonly Guardrail[];
}

/** The default guardrails: PII flagged and jailbreaks blocked on input, PII and harmful content blocked on output. */
export function defaultGuardrails(): Required<SupportGuardrails> {
  return {
    input: [piiGuardrail(), promptInjectionGuardrail()],
    output: [piiGuardrail({ onMatch: "block" }), harmfulContentGuardrail()],
  };
}

/** Options of {@link createSupportGraph}: the fixture graph's, with agentwatch guardrails instead of raw guardrail steps. */
export interface SupportGraphOptions extends Omit<FixtureGraphOptions, "guardrailSteps"> {
  /**
   * Add the `input_guardrails` node first (a blocked message is answered with {@link INPUT_REFUSAL}
   * and the run ends) and the `output_guardrails` node last (a blocked answer is replaced by
   * {@link OUTPUT_REFUSAL}). `true` uses {@link defaultGuardrails}. Default false, so the graph is
   * retrieve → agent ⇄ tools.
   */
  guardrails?: boolean | SupportGuardrails;
}

/**
 * The Acme support agent (the fixture graph from `@agentwatch/fixtures`): `retrieve` → `agent` ⇄
 * `tools`; with `guardrails`, agentwatch's `guardrailNode`s as `input_guardrails` first and
 * `output_guardrails` last.
 */
export function createSupportGraph(options: SupportGraphOptions = {}): SupportGraph {
  const { guardrails, ...graphOptions } = options;
  if (guardrails === undefined || guardrails === false) return createFixtureGraph(graphOptions);
  const defaults = defaultGuardrails();
  const chosen =
    guardrails === true ? defaults : { input: guardrails.input ?? defaults.input, output: guardrails.output ?? defaults.output };
  return createFixtureGraph({
    ...graphOptions,
    guardrailSteps: {
      input: guardrailNode({ stage: "input", guardrails: chosen.input, onBlock: { replaceWith: INPUT_REFUSAL } }),
      output: guardrailNode({ stage: "output", guardrails: chosen.output, onBlock: { replaceWith: OUTPUT_REFUSAL } }),
      blocked: blockedByGuardrail,
    },
  });
}
