import { groundednessScore } from "./heuristics/groundedness.js";
import { judgePrompt, type JudgeRubric, parseJudgeOutput } from "./heuristics/judge-output.js";
import { JUDGE_RUBRIC_NAMES } from "./heuristics/judge-prompt.js";
import { isJudgeRefusal } from "./heuristics/judge-refusal.js";
import type { Evaluator } from "./types.js";
import { UnreadableVerdictError } from "./unreadable-verdict.js";

/**
 * No-model groundedness: the share of the answer's sentences whose content words appear in the
 * run's retrieved documents (0 when nothing was retrieved, 1 for an answer with no content words).
 */
export function groundednessEvaluator(options: { name?: string } = {}): Evaluator {
  return {
    name: options.name ?? "groundedness_heuristic",
    evaluate: (sample) => ({ score: groundednessScore(sample.answer, sample.documents) }),
  };
}

/** The part of a LangChain chat model the judge needs. */
export interface JudgeModel {
  invoke(input: string, config?: never): Promise<{ content: unknown }>;
}

/**
 * LLM-as-judge: asks `model` (any LangChain chat model) to grade the answer for `rubric`
 * (relevance, groundedness, coherence, or safety: 5 safe, 1 harmful) on a 1-5 scale, and reads its verdict robustly (JSON,
 * "Score: 4/5", a bare number...). A reply that declines to grade ("I can't evaluate this", "N/A")
 * skips the run (`agentwatch_eval_skipped_total`); any other reply without a score records none and
 * counts as an evaluator error. Its calls use the evaluation config, so they are counted as evaluation traffic and cost.
 */
export function llmJudgeEvaluator(options: { model: JudgeModel; rubric: JudgeRubric; name?: string }): Evaluator {
  const { model, rubric } = options;
  if (typeof model?.invoke !== "function")
    throw new TypeError("agentwatch: llmJudgeEvaluator.model must be a LangChain chat model (with invoke); pass e.g. new ChatOpenAI()");
  if (!JUDGE_RUBRIC_NAMES.includes(rubric)) {
    throw new TypeError(
      `agentwatch: llmJudgeEvaluator.rubric must be one of ${JUDGE_RUBRIC_NAMES.map((r) => JSON.stringify(r)).join(", ")}, got ${JSON.stringify(rubric)}`,
    );
  }
  return {
    name: options.name ?? `llm_judge_${rubric}`,
    async evaluate(sample, { config }) {
      const prompt = judgePrompt(rubric, { question: sample.question, answer: sample.answer, context: sample.documents.join("\n\n") });
      const response = await model.invoke(prompt, config as never);
      const text = typeof response.content === "string" ? response.content : JSON.stringify(response.content);
      const verdict = parseJudgeOutput(text);
      if (verdict !== undefined) return { score: verdict.score, label: verdict.label, explanation: verdict.explanation };
      if (isJudgeRefusal(text)) return undefined; // the judge declined: a skipped evaluation
      throw new UnreadableVerdictError(rubric);
    },
  };
}
