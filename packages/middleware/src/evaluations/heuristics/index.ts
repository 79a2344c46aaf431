/** Evaluation building blocks: a no-model groundedness heuristic and LLM-judge prompt / output helpers. */
export { GROUNDEDNESS_SUPPORT_THRESHOLD, groundednessScore } from "./groundedness.js";
export { JUDGE_RUBRICS, type JudgeInput, type JudgeRubric, judgePrompt, type JudgeVerdict, parseJudgeOutput } from "./judge-output.js";
