import { type JudgeModel, judgePrompt, type JudgeRubric, parseJudgeOutput } from "@agentwatch/middleware";

import { contentText } from "../target/message-text.js";
import { fmt } from "./normalise.js";
import type { CaseEvaluator } from "./types.js";

/** Options of {@link llmJudgeEvaluator}. */
export interface LlmJudgeOptions {
  /** Any LangChain chat model. */
  model: JudgeModel;
  /** What it grades (agentwatch's rubrics). Default "relevance". */
  rubric?: JudgeRubric;
  /** Judge calls per sample, averaged (judges are noisy). Default 1. */
  runs?: number;
  /** Passes at this mean score (0..1; a 4 of 5 is 0.75). Default 0.75. */
  threshold?: number;
}

/**
 * `llm_judge`: asks the chat model to grade the answer on the rubric with agentwatch's judge prompt
 * (`judgePrompt`, the question, the documents as context, the answer) `runs` times and averages the
 * verdicts it can read (`parseJudgeOutput`, normalised to 0..1). No readable verdict: not judged.
 * The judge's calls get no callbacks, so they are not in the target's trace or cost. Applies to every case.
 */
export function llmJudgeEvaluator(options: LlmJudgeOptions): CaseEvaluator {
  const { model } = options;
  if (typeof model?.invoke !== "function") throw new TypeError("llmJudgeEvaluator: model must be a LangChain chat model (with invoke)");
  const rubric = options.rubric ?? "relevance";
  const runs = options.runs ?? 1;
  if (!Number.isInteger(runs) || runs < 1) throw new TypeError(`llmJudgeEvaluator: runs must be a whole number of at least 1, got ${runs}`);
  const threshold = options.threshold ?? 0.75;
  return {
    name: "llm_judge",
    appliesTo: () => true,
    async evaluate(c, run) {
      const prompt = judgePrompt(rubric, { question: c.input, answer: run.answer, context: run.documents.join("\n\n") });
      const verdicts = [];
      for (let i = 0; i < runs; i++) {
        const response = await model.invoke(prompt);
        const verdict = parseJudgeOutput(typeof response.content === "string" ? response.content : contentText(response.content));
        if (verdict !== undefined) verdicts.push(verdict);
      }
      if (verdicts.length === 0) return undefined;
      const score = verdicts.reduce((sum, v) => sum + v.score, 0) / verdicts.length;
      const pass = score >= threshold;
      const why = verdicts.find((v) => v.explanation !== undefined)?.explanation;
      const explanation = pass
        ? why
        : `${rubric} ${fmt(score)} over ${verdicts.length} judge call(s)${why === undefined ? "" : `: ${why}`}`;
      return { evaluator: "llm_judge", score, pass, ...(explanation === undefined ? {} : { explanation }) };
    },
  };
}
