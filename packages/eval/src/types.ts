// The public types of @agentwatch/eval: the contract between the dataset, the runner, the
// evaluators, the statistics, the baseline and gate, and the reports. Each stage owns its folder
// (dataset/, target/, runner/, evaluators/, stats/, gate/, reports/, traces/); they meet here.

/** One golden case: one line of a JSONL dataset. */
export interface EvalCase {
  /** Unique in its dataset. */
  id: string;
  /** What the target is asked (the user's message). */
  input: string;
  /** The reference answer, for exact / similarity / ROUGE-L evaluators. */
  reference?: string;
  /** Facts a right answer states (each matched case-insensitively, after normalising space). */
  facts?: string[];
  /** Text a right answer never contains (a competitor's name, a leaked secret, a wrong price). */
  forbidden?: string[];
  /** Regular expressions (JavaScript syntax) a right answer matches. */
  patterns?: string[];
  /** The tool calls a right run makes, by tool name, in order. */
  tools?: string[];
  /** Tags for scores by feature ("orders", "refunds", ...). */
  tags: string[];
  /** The 1-based line of the dataset file it came from, for messages. */
  line: number;
}

/** A loaded, validated dataset. */
export interface Dataset {
  /** The dataset's name: its file name without `.jsonl`, unless given. */
  name: string;
  /** Where it was read from. */
  path: string;
  cases: EvalCase[];
}

/** What a target answered for one sample of one case, and what agentwatch measured of it. */
export interface CaseRun {
  /** 0-based sample number (several with `--samples`). */
  sample: number;
  /** The final answer's text ("" when the target failed). */
  answer: string;
  /** Names of the tools the run called, in order (from its `execute_tool` spans). */
  toolCalls: string[];
  /** Texts of the documents the run retrieved, when the target reports them (for groundedness). */
  documents: string[];
  /** The run's trace id: every sample is one agentwatch trace. */
  traceId: string;
  /** Cost in USD (the `invoke_agent` span's `agentwatch.cost.usd`). */
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  /** Wall time of the target call, in milliseconds. */
  latencyMs: number;
  /** The target's error message, when it threw. */
  error?: string;
}

/** One evaluator's verdict on one sample: `score` in 0..1. */
export interface Score {
  evaluator: string;
  score: number;
  /** Whether the sample passes this evaluator (its own threshold). */
  pass: boolean;
  /** Why, in a few words: shown in the JUnit failure and the Markdown worst cases. */
  explanation?: string;
}

/** One evaluator's summary over a case's samples. */
export interface CaseScore {
  evaluator: string;
  /** Mean score over the samples the evaluator judged. */
  score: number;
  /** pass@k: at least one of the k samples passed. */
  pass: boolean;
  /** Samples that passed, of `judged`. */
  passed: number;
  judged: number;
  explanation?: string;
}

/** Everything about one case. */
export interface CaseResult {
  case: EvalCase;
  runs: CaseRun[];
  /** Per sample, every evaluator that judged it. */
  sampleScores: Score[][];
  /** Per evaluator, over the samples. */
  scores: CaseScore[];
  /** Mean over samples. */
  costUsd: number;
  latencyMs: number;
}

/** A mean with a bootstrap confidence interval. */
export interface Interval {
  mean: number;
  low: number;
  high: number;
  /** Number of cases it is over. */
  n: number;
}

/** The prompt (or model/config) under test: baselines are kept per name and version. */
export interface PromptRef {
  name: string;
  version: string;
}

/** The result of one evaluation run. */
export interface EvalReport {
  dataset: string;
  prompt: PromptRef;
  startedAt: string;
  durationMs: number;
  /** Samples per case. */
  samples: number;
  /** Confidence level of every interval, e.g. 0.95. */
  confidence: number;
  cases: CaseResult[];
  /** Per evaluator, over cases. */
  byEvaluator: Record<string, Interval>;
  /** Per tag, per evaluator. */
  byTag: Record<string, Record<string, Interval>>;
  totals: {
    costUsd: number;
    latencyP50Ms: number;
    latencyP95Ms: number;
    errors: number;
  };
}

/** A committed baseline: the scores of the version in production, per case and evaluator. */
export interface Baseline {
  dataset: string;
  prompt: PromptRef;
  createdAt: string;
  /** caseId → evaluator → mean score. */
  scores: Record<string, Record<string, number>>;
  /** evaluator → mean over cases. */
  summary: Record<string, number>;
}

/** How the gate judges a run against a baseline. */
export interface GateOptions {
  /** Largest relative drop of a dimension's mean allowed, e.g. 0.05 for 5 %. Default 0.05. */
  maxDrop: number;
  /** evaluator → the lowest mean allowed, whatever the baseline. */
  minimum: Record<string, number>;
  /** Confidence of the paired comparison (a drop inside the noise passes). Default 0.95. */
  confidence: number;
  /** How many worst cases the result lists. Default 10. */
  worstCases?: number;
}

/** One dimension (an evaluator) compared with its baseline, paired by case. */
export interface DimensionVerdict {
  evaluator: string;
  baseline: number | undefined;
  current: number;
  /** current − baseline, paired over the cases both have, with its interval. */
  delta: Interval | undefined;
  /** (baseline − current) / baseline; 0 without a baseline. */
  relativeDrop: number;
  verdict: "pass" | "fail";
  /** Why it failed (or passed despite a drop), in one sentence. */
  reason: string;
}

/** The gate's answer. */
export interface GateResult {
  verdict: "pass" | "fail";
  dimensions: DimensionVerdict[];
  /** The cases that lost most against the baseline (or scored lowest without one), worst first. */
  worstCases: Array<{ id: string; evaluator: string; baseline: number | undefined; current: number; explanation?: string }>;
  /** Cases the comparison could not pair (and so ignored), when there is a baseline. */
  unpaired?: {
    /** In the report, not in the baseline (new cases: they count for the minimums only). */
    notInBaseline: string[];
    /** In the baseline, not in the report (removed or filtered cases). */
    notInReport: string[];
  };
}

/** Process exit codes of the CLI. */
export const EXIT = { pass: 0, gateFailed: 1, badInput: 2 } as const;
