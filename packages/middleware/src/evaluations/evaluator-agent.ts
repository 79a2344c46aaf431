/** The agent name under which online evaluators' own model calls are counted, apart from the app's traffic. */
export const EVALUATOR_AGENT = "agentwatch-evaluator";
