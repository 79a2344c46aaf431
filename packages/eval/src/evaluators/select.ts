import { BadInputError } from "../bad-input-error.js";
import type { TargetOptions } from "../target/types.js";
import { embeddingSimilarityEvaluator } from "./embedding-similarity.js";
import { exactMatchEvaluator } from "./exact-match.js";
import { forbiddenContentEvaluator } from "./forbidden-content.js";
import { groundednessEvaluator } from "./groundedness.js";
import { llmJudgeEvaluator } from "./llm-judge.js";
import { regexPatternsEvaluator } from "./regex-patterns.js";
import { requiredFactsEvaluator } from "./required-facts.js";
import { rougeLEvaluator } from "./rouge-l.js";
import { toolTrajectoryEvaluator } from "./tool-trajectory.js";
import type { CaseEvaluator, TrajectoryMode } from "./types.js";

/** Settings of the built-ins that have them. */
export interface BuiltinSettings {
  /** How `tool_trajectory` compares (see `trajectoryScore`). Default "exact". */
  trajectory?: TrajectoryMode;
}

/** The built-in evaluators by name; the ones needing a model come from the target's options. */
const BUILTINS: Record<string, (options: TargetOptions, settings: BuiltinSettings) => CaseEvaluator | undefined> = {
  exact_match: () => exactMatchEvaluator(),
  facts: () => requiredFactsEvaluator(),
  forbidden: () => forbiddenContentEvaluator(),
  patterns: () => regexPatternsEvaluator(),
  rouge_l: () => rougeLEvaluator(),
  tool_trajectory: (_o, s) => toolTrajectoryEvaluator(s.trajectory === undefined ? {} : { mode: s.trajectory }),
  groundedness: () => groundednessEvaluator(),
  embedding_similarity: (o) => (o.embeddings === undefined ? undefined : embeddingSimilarityEvaluator({ embeddings: o.embeddings })),
  llm_judge: (o) =>
    o.judge === undefined
      ? undefined
      : llmJudgeEvaluator({
          model: o.judge.model,
          ...(o.judge.rubric === undefined ? {} : { rubric: o.judge.rubric }),
          runs: o.judge.runs ?? 1,
        }),
};

/** The names `--evaluators` accepts. */
export const BUILTIN_EVALUATOR_NAMES = Object.keys(BUILTINS);

const NEEDS: Record<string, string> = {
  embedding_similarity: "export options.embeddings (any LangChain Embeddings) from the target module",
  llm_judge: "export options.judge = { model } (any LangChain chat model) from the target module",
};

/**
 * The evaluators of a run: the named built-ins (default: every built-in the target's options make
 * possible) and the target's own `options.evaluators` (always, unless `names` leaves them out).
 * Throws a {@link BadInputError} for an unknown name, a built-in whose model is missing, or a
 * name used twice.
 */
export function selectEvaluators(
  names: readonly string[] | undefined,
  options: TargetOptions = {},
  settings: BuiltinSettings = {},
): CaseEvaluator[] {
  const custom = options.evaluators ?? [];
  const customNames = new Set(custom.map((e) => e.name));
  const chosen: CaseEvaluator[] = [];
  if (names === undefined) {
    for (const make of Object.values(BUILTINS)) {
      const evaluator = make(options, settings);
      if (evaluator !== undefined && !customNames.has(evaluator.name)) chosen.push(evaluator);
    }
    chosen.push(...custom);
  } else {
    for (const name of names) {
      const own = custom.find((e) => e.name === name);
      if (own !== undefined) {
        chosen.push(own);
        continue;
      }
      const make = BUILTINS[name];
      if (make === undefined) {
        const known = [...BUILTIN_EVALUATOR_NAMES, ...customNames].join(", ");
        throw new BadInputError(`--evaluators: unknown evaluator ${JSON.stringify(name)}; use any of ${known}`);
      }
      const evaluator = make(options, settings);
      if (evaluator === undefined) throw new BadInputError(`--evaluators: ${name} needs a model; ${NEEDS[name]}`);
      chosen.push(evaluator);
    }
  }
  const seen = new Set<string>();
  for (const e of chosen) {
    if (seen.has(e.name))
      throw new BadInputError(`evaluator name ${JSON.stringify(e.name)} is used twice; give every evaluator its own name`);
    seen.add(e.name);
  }
  return chosen;
}
