import { createSupportGraph, ScriptedChatModel } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";

/** The benchmark's agent: retrieve → agent ⇄ tools on the offline model, with no sleeps. */
export function benchAgent() {
  const graph = createSupportGraph({ model: new ScriptedChatModel({ firstTokenDelayMs: 0, perTokenDelayMs: 0 }) });
  const input = () => ({ messages: [new HumanMessage("Where is my order AB-1234?")] });
  return {
    invoke: (callbacks: unknown[]) => graph.invoke(input(), { callbacks: callbacks as never }),
  };
}
