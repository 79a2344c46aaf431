import { keywordTerms } from "@agentwatch/fixtures";
import type { Evaluator } from "@agentwatch/middleware";

import { INPUT_REFUSAL, OUTPUT_REFUSAL } from "./guarded-support-graph.js";

/** Words that say nothing about the topic, ignored when comparing a question and its answer. */
const FILLER = new Set(["help", "please", "thank", "thanks", "hi", "hello", "need", "want", "get", "know", "tell", "about", "there"]);

/** The share (0..1) of the question's content words that the answer also uses; undefined when the question has none. */
export function keywordRelevance(question: string, answer: string): number | undefined {
  const asked = [...keywordTerms(question)].filter((t) => !FILLER.has(t));
  if (asked.length === 0) return undefined;
  const answered = keywordTerms(answer);
  return Math.round((asked.filter((t) => answered.has(t)).length / asked.length) * 1000) / 1000;
}

/**
 * A model-free online evaluator for the demo: relevance = share of the question's content words
 * found in the answer (label "relevant" from 0.5, else "off_topic"). Crude, deterministic and
 * free, which is what a demo needs: off-topic answers (prompt-regression) and answers quoting
 * irrelevant articles (retrieval-degradation) score near 0. Guardrail refusals are not judged
 * (they answer an attack, not a question), nor questions without content words.
 */
export function keywordRelevanceEvaluator(): Evaluator {
  return {
    name: "keyword-relevance",
    evaluate({ question, answer }) {
      if (answer === INPUT_REFUSAL || answer === OUTPUT_REFUSAL) return undefined;
      const score = keywordRelevance(question, answer);
      if (score === undefined) return undefined;
      return { score, label: score >= 0.5 ? "relevant" : "off_topic" };
    },
  };
}
