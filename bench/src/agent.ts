import { createSupportGraph } from "@agentwatch/demo-agent";
import { ScriptedChatModel } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";

/** One of the bench's agents: invoke it with the callbacks of a variant. */
export interface BenchAgent {
  invoke: (callbacks: unknown[]) => Promise<unknown>;
}

/**
 * The benchmark's agent: retrieve → agent ⇄ tools on the offline model, with no sleeps. With
 * `guardrails`, the same graph as the demo wires it: agentwatch's `guardrailNode`s with the
 * built-in guardrails (PII flagged and prompt injection blocked on input, PII and harmful content
 * blocked on output) as `input_guardrails` first and `output_guardrails` last.
 */
export function benchAgent(options: { guardrails?: boolean } = {}): BenchAgent {
  const graph = createSupportGraph({
    model: new ScriptedChatModel({ firstTokenDelayMs: 0, perTokenDelayMs: 0 }),
    guardrails: options.guardrails ?? false,
  });
  const input = () => ({ messages: [new HumanMessage("Where is my order AB-1234?")] });
  return {
    invoke: (callbacks: unknown[]) => graph.invoke(input(), { callbacks: callbacks as never }),
  };
}
