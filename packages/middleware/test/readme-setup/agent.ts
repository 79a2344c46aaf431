/** The agent the README's set-up snippet runs: the user's own graph and input, not part of the README. */
import { createSupportGraph } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";

export const graph = createSupportGraph();
export const input = { messages: [new HumanMessage("How do I reset my password?")] };
