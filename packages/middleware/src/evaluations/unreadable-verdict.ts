/**
 * Thrown by the LLM judge when its model's reply holds no score and does not decline either: an
 * evaluator error (`agentwatch_eval_errors_total`), expected of models now and then, so it is not
 * also counted and logged as a handler error.
 */
export class UnreadableVerdictError extends Error {
  constructor(rubric: string) {
    super(`agentwatch: the ${rubric} judge's reply has no readable score`);
    this.name = "UnreadableVerdictError";
  }
}
