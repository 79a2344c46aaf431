import { normalizeJudgeScore } from "./judge-score.js";

export { judgePrompt, JUDGE_RUBRICS, type JudgeInput, type JudgeRubric } from "./judge-prompt.js";

/** A judge's verdict with the score normalized to 0..1. */
export interface JudgeVerdict {
  score: number;
  label?: string;
  explanation?: string;
}

const SCORE_KEYS = ["score", "rating", "value"] as const;
const EXPLANATION_KEYS = ["explanation", "reason", "reasoning", "rationale"] as const;
const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
/** `4/5`, `8 / 10`, `4 out of 5`, `85%`. */
const SCALE = String.raw`(?:\s*(?:\/|out\s+of|of)\s*(\d+)|\s*(%))?`;
/** `Score: 4/5`, `rating = 8 out of 10`, `"score": "4"`, `score of 3`, `value: 0.7`. */
const LABELED = new RegExp(
  String.raw`\b(?:(?:score|rating|grade)["']?\s*(?:[:=]|is|of)?|value["']?\s*[:=])\s*["']?(${NUMBER})${SCALE}`,
  "i",
);
const OUT_OF = new RegExp(String.raw`(?<![\d.])(${NUMBER})\s*(?:\/|out\s+of)\s*(5|10|100)(?!\d|\.\d)`, "i");
const EXPLANATION_LABEL = String.raw`\b(?:explanation|reason|reasoning|rationale)["']?\s*[:=]\s*`;
/** A quoted explanation (JSON-ish, possibly malformed around it) or everything after `Explanation:`. */
const QUOTED_EXPLANATION = new RegExp(EXPLANATION_LABEL + String.raw`(["'])((?:(?!\1)[^\\]|\\.)*)\1`, "i");
const PLAIN_EXPLANATION = new RegExp(EXPLANATION_LABEL + String.raw`([\s\S]+)$`, "i");
const BARE = new RegExp(String.raw`^\s*(${NUMBER})\s*[.!]?\s*(?:\n([\s\S]*))?$`);

/**
 * Reads an LLM judge's output, tolerating the usual mess. Accepts: a JSON object (alone, inside
 * ```json fences or surrounded by prose; keys `score`/`rating`/`value`, `label`,
 * `explanation`/`reason`/`reasoning`/`rationale`; a score may be a number or a string like `"4/5"`),
 * an already-parsed object, `Score: 4/5`, `Rating: 8/10`, `4 out of 5`, `85%`, and a bare number
 * (optionally followed by an explanation on the next lines). Scores are normalized to 0..1 (see
 * {@link normalizeJudgeScore}: 0..1 as is, 1..5 as (n-1)/4, 1..10 as (n-1)/9 when the scale is
 * stated). Returns undefined for empty input, garbage, NaN and out-of-range scores.
 */
export function parseJudgeOutput(raw: unknown): JudgeVerdict | undefined {
  if (typeof raw === "number") return verdict(normalizeJudgeScore(raw));
  if (isRecord(raw)) return fromObject(raw);
  if (typeof raw !== "string" || raw.trim() === "") return undefined;
  const json = extractJsonObject(raw);
  if (json !== undefined) {
    const parsed = fromObject(json);
    if (parsed !== undefined) return parsed;
  }
  return fromText(raw);
}

function fromObject(object: Record<string, unknown>): JudgeVerdict | undefined {
  const key = SCORE_KEYS.find((k) => object[k] !== undefined && object[k] !== null);
  if (key === undefined) return undefined;
  const value = object[key];
  const score = typeof value === "number" ? normalizeJudgeScore(value) : typeof value === "string" ? fromText(value)?.score : undefined;
  const label = typeof object.label === "string" && object.label.trim() !== "" ? object.label.trim() : undefined;
  const explanationKey = EXPLANATION_KEYS.find((k) => typeof object[k] === "string" && String(object[k]).trim() !== "");
  return verdict(score, label, explanationKey === undefined ? undefined : String(object[explanationKey]).trim());
}

function fromText(text: string): JudgeVerdict | undefined {
  const explanation = (QUOTED_EXPLANATION.exec(text)?.[2] ?? PLAIN_EXPLANATION.exec(text)?.[1])?.trim();
  const label = /\blabel["']?\s*[:=]\s*["']?([\w -]+?)["']?\s*(?:[,}\n]|$)/i.exec(text)?.[1]?.trim();
  const labeled = LABELED.exec(text);
  if (labeled) return verdict(scoreOf(labeled[1], labeled[2], labeled[3]), label, explanation);
  const outOf = OUT_OF.exec(text);
  if (outOf) return verdict(scoreOf(outOf[1], outOf[2]), label, explanation);
  const percent = new RegExp(String.raw`(?<![\d.])(${NUMBER})\s*%`).exec(text);
  if (percent) return verdict(scoreOf(percent[1], undefined, "%"), label, explanation);
  const bare = BARE.exec(text);
  if (bare) return verdict(scoreOf(bare[1]), label, explanation ?? (bare[2]?.trim() || undefined));
  return undefined;
}

function scoreOf(number: string | undefined, max?: string, percent?: string): number | undefined {
  if (number === undefined) return undefined;
  const n = Number(number);
  if (percent !== undefined) return normalizeJudgeScore(n, 100);
  return normalizeJudgeScore(n, max === undefined ? undefined : Number(max), number.includes("."));
}

function verdict(score: number | undefined, label?: string, explanation?: string): JudgeVerdict | undefined {
  if (score === undefined) return undefined;
  const result: JudgeVerdict = { score };
  if (label !== undefined) result.label = label;
  if (explanation !== undefined && explanation !== "") result.explanation = explanation;
  return result;
}

/** The first parseable `{…}` object in the text: a fenced ```json block, else each balanced brace span in turn. */
function extractJsonObject(text: string): Record<string, unknown> | undefined {
  const fenced = /```(?:json|JSON)?\s*([\s\S]*?)```/.exec(text)?.[1];
  for (const candidate of [fenced, ...braceSpans(text)]) {
    if (candidate === undefined) continue;
    try {
      const value: unknown = JSON.parse(candidate.trim());
      if (isRecord(value)) return value;
    } catch {
      // not JSON; try the next candidate
    }
  }
  return undefined;
}

/** Balanced `{…}` spans, outermost first, ignoring braces inside JSON strings. */
function braceSpans(text: string): string[] {
  const spans: string[] = [];
  for (let start = text.indexOf("{"); start >= 0 && spans.length < 10; start = text.indexOf("{", start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const ch = text.charAt(i);
      if (inString) {
        if (ch === "\\") i++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === "{") depth++;
      else if (ch === "}" && --depth === 0) {
        spans.push(text.slice(start, i + 1));
        break;
      }
    }
  }
  return spans;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
