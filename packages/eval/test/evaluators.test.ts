import {
  type CaseRun,
  embeddingSimilarityEvaluator,
  type EvalCase,
  exactMatchEvaluator,
  forbiddenContentEvaluator,
  groundednessEvaluator,
  llmJudgeEvaluator,
  regexPatternsEvaluator,
  requiredFactsEvaluator,
  rougeL,
  rougeLEvaluator,
  selectEvaluators,
  toolTrajectoryEvaluator,
  trajectoryScore,
} from "@agentwatch/eval";
import { Embeddings } from "@langchain/core/embeddings";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { describe, expect, it } from "vitest";

const kase = (fields: Partial<EvalCase>): EvalCase => ({ id: "c1", input: "Where is my order AB-1234?", tags: [], line: 1, ...fields });
const run = (fields: Partial<CaseRun>): CaseRun => ({
  sample: 0,
  answer: "",
  toolCalls: [],
  documents: [],
  traceId: "0".repeat(32),
  costUsd: 0,
  inputTokens: 0,
  outputTokens: 0,
  latencyMs: 1,
  ...fields,
});

/** Deterministic bag-of-words embeddings: each word hashed into one of 64 dimensions. */
class HashedEmbeddings extends Embeddings {
  constructor() {
    super({});
  }
  async embedQuery(text: string): Promise<number[]> {
    const vector = new Array<number>(64).fill(0);
    for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      let h = 7;
      for (const ch of word) h = (h * 31 + ch.charCodeAt(0)) % 64;
      vector[h] = (vector[h] ?? 0) + 1;
    }
    return vector;
  }
  async embedDocuments(texts: string[]): Promise<number[][]> {
    return Promise.all(texts.map((t) => this.embedQuery(t)));
  }
}

describe("exact_match", () => {
  const evaluator = exactMatchEvaluator();
  const c = kase({ reference: "Your order AB-1234 has shipped." });
  it("matches after normalising case, space and trailing punctuation", async () => {
    expect(await evaluator.evaluate(c, run({ answer: "  your ORDER ab-1234   has shipped" }))).toMatchObject({ score: 1, pass: true });
  });
  it("a near miss (one word different) scores 0", async () => {
    expect(await evaluator.evaluate(c, run({ answer: "Your order AB-1234 has not shipped." }))).toMatchObject({ score: 0, pass: false });
  });
  it("applies only with a reference", () => {
    expect(evaluator.appliesTo(kase({}))).toBe(false);
    expect(evaluator.appliesTo(c)).toBe(true);
  });
});

describe("facts", () => {
  const evaluator = requiredFactsEvaluator();
  const c = kase({ facts: ["AB-1234", "shipped", "UPS"] });
  it("a hit states every fact, in any case", async () => {
    expect(await evaluator.evaluate(c, run({ answer: "Order ab-1234 SHIPPED with ups." }))).toMatchObject({ score: 1, pass: true });
  });
  it("a near miss scores the share of facts and names the missing one", async () => {
    const score = await evaluator.evaluate(c, run({ answer: "Order AB-1234 shipped with DHL." }));
    expect(score?.score).toBeCloseTo(2 / 3, 10);
    expect(score?.pass).toBe(false);
    expect(score?.explanation).toContain('"UPS"');
  });
});

describe("forbidden", () => {
  const evaluator = forbiddenContentEvaluator();
  const c = kase({ forbidden: ["Globex", "sk-live"] });
  it("a clean answer scores 1", async () => {
    expect(await evaluator.evaluate(c, run({ answer: "Acme ships worldwide." }))).toMatchObject({ score: 1, pass: true });
  });
  it("one forbidden text, in another case, scores 0 and is named", async () => {
    const score = await evaluator.evaluate(c, run({ answer: "Try GLOBEX instead." }));
    expect(score).toMatchObject({ score: 0, pass: false });
    expect(score?.explanation).toContain('"Globex"');
  });
});

describe("patterns", () => {
  const evaluator = regexPatternsEvaluator();
  const c = kase({ patterns: ["\\b1Z[0-9A-Z]{16}\\b", "\\d{4}-\\d{2}-\\d{2}"] });
  it("a hit matches every pattern", async () => {
    expect(await evaluator.evaluate(c, run({ answer: "Tracking 1Z999AA10123456784, due 2026-11-04." }))).toMatchObject({
      score: 1,
      pass: true,
    });
  });
  it("a near miss (a tracking number one character short) matches half", async () => {
    const score = await evaluator.evaluate(c, run({ answer: "Tracking 1Z999AA1012345678, due 2026-11-04." }));
    expect(score).toMatchObject({ score: 0.5, pass: false });
  });
});

describe("rouge_l", () => {
  it("computes the LCS F1 of words", () => {
    // LCS of "the cat sat on the mat" and "the cat is on the mat" is 5 words: P = R = 5/6.
    expect(rougeL("the cat sat on the mat", "the cat is on the mat")).toBeCloseTo(5 / 6, 10);
    expect(rougeL("", "")).toBe(1);
    expect(rougeL("a b", "c d")).toBe(0);
  });
  const evaluator = rougeLEvaluator();
  const c = kase({ reference: "Refunds are accepted within 30 days of delivery." });
  it("a paraphrase keeping the words passes", async () => {
    expect((await evaluator.evaluate(c, run({ answer: "Refunds are accepted within 30 days of the delivery date." })))?.pass).toBe(true);
  });
  it("a near miss with few shared words fails", async () => {
    const score = await evaluator.evaluate(c, run({ answer: "You can return items for a month." }));
    expect(score?.pass).toBe(false);
    expect(score?.score).toBeLessThan(0.5);
  });
});

describe("embedding_similarity", () => {
  const evaluator = embeddingSimilarityEvaluator({ embeddings: new HashedEmbeddings() });
  const c = kase({ reference: "Your order AB-1234 shipped with UPS." });
  it("the same words in another order score 1", async () => {
    expect(await evaluator.evaluate(c, run({ answer: "With UPS your order AB-1234 shipped." }))).toMatchObject({ score: 1, pass: true });
  });
  it("a different answer scores low and fails", async () => {
    const score = await evaluator.evaluate(c, run({ answer: "Refunds take five business days." }));
    expect(score?.pass).toBe(false);
    expect(score?.score).toBeLessThan(0.5);
  });
});

describe("tool_trajectory", () => {
  it("scores exact order, subsequence and set as documented", () => {
    const expected = ["lookup_order", "create_ticket"];
    expect(trajectoryScore(expected, ["lookup_order", "create_ticket"], "exact")).toBe(1);
    expect(trajectoryScore(expected, ["lookup_order", "refund_policy", "create_ticket"], "exact")).toBeCloseTo(2 / 3, 10);
    expect(trajectoryScore(expected, ["lookup_order", "refund_policy", "create_ticket"], "subsequence")).toBe(1);
    expect(trajectoryScore(expected, ["create_ticket", "lookup_order"], "subsequence")).toBe(0.5);
    expect(trajectoryScore(expected, ["create_ticket", "lookup_order", "lookup_order"], "set")).toBe(1);
    expect(trajectoryScore(expected, ["lookup_order"], "set")).toBe(0.5);
    expect(trajectoryScore([], [], "exact")).toBe(1);
  });
  const evaluator = toolTrajectoryEvaluator();
  const c = kase({ tools: ["lookup_order"] });
  it("a hit calls exactly the expected tools", async () => {
    expect(await evaluator.evaluate(c, run({ toolCalls: ["lookup_order"] }))).toMatchObject({ score: 1, pass: true });
  });
  it("a near miss with one extra call fails and says what was called", async () => {
    const score = await evaluator.evaluate(c, run({ toolCalls: ["lookup_order", "lookup_order"] }));
    expect(score).toMatchObject({ score: 0.5, pass: false });
    expect(score?.explanation).toContain("called [lookup_order, lookup_order]");
  });
  it("an empty list expects no tool call; no list does not apply", () => {
    expect(evaluator.appliesTo(kase({ tools: [] }))).toBe(true);
    expect(evaluator.appliesTo(kase({}))).toBe(false);
  });
});

describe("groundedness", () => {
  const evaluator = groundednessEvaluator();
  const documents = ["Refunds are accepted within 30 days of delivery and go back to the original payment method."];
  it("an answer built from the documents passes", async () => {
    const score = await evaluator.evaluate(kase({}), run({ answer: "Refunds are accepted within 30 days of delivery.", documents }));
    expect(score).toMatchObject({ score: 1, pass: true });
  });
  it("a near miss adding an unsupported sentence drops to half and fails", async () => {
    const answer = "Refunds are accepted within 30 days of delivery. Premium members get instant cashback vouchers.";
    expect(await evaluator.evaluate(kase({}), run({ answer, documents }))).toMatchObject({ score: 0.5, pass: false });
  });
  it("a sample without documents is not judged", async () => {
    expect(await evaluator.evaluate(kase({}), run({ answer: "Anything." }))).toBeUndefined();
  });
});

describe("llm_judge", () => {
  it("averages the verdicts of its judge runs (5 and 3 of 5 → 0.75: a pass)", async () => {
    const model = new FakeListChatModel({ responses: ['{"score": 5, "explanation": "answers it"}', "Score: 3/5"] });
    const evaluator = llmJudgeEvaluator({ model, runs: 2 });
    const score = await evaluator.evaluate(kase({}), run({ answer: "It shipped." }));
    expect(score).toMatchObject({ score: 0.75, pass: true });
  });
  it("a near miss (4 and 3 of 5 → 0.625) fails, and unreadable verdicts are left out", async () => {
    const model = new FakeListChatModel({ responses: ['{"score": 4}', "no idea", '{"score": 3, "explanation": "partly"}'] });
    const score = await llmJudgeEvaluator({ model, runs: 3 }).evaluate(kase({}), run({ answer: "It shipped." }));
    expect(score?.score).toBeCloseTo(0.625, 10);
    expect(score?.pass).toBe(false);
    expect(score?.explanation).toContain("over 2 judge call(s)");
  });
  it("gives the judge the question, the documents and the answer", async () => {
    const prompts: string[] = [];
    const model = { invoke: async (prompt: string) => (prompts.push(prompt), { content: '{"score": 5}' }) };
    await llmJudgeEvaluator({ model, rubric: "groundedness" }).evaluate(
      kase({}),
      run({ answer: "It shipped.", documents: ["Order AB-1234 shipped."] }),
    );
    expect(prompts[0]).toContain("Where is my order AB-1234?");
    expect(prompts[0]).toContain("Order AB-1234 shipped.");
    expect(prompts[0]).toContain("It shipped.");
  });
});

describe("selectEvaluators", () => {
  it("passes the trajectory mode to tool_trajectory", async () => {
    const [subsequence] = selectEvaluators(["tool_trajectory"], {}, { trajectory: "subsequence" });
    const c = kase({ tools: ["lookup_order"] });
    expect((await subsequence?.evaluate(c, run({ toolCalls: ["refund_policy", "lookup_order"] })))?.pass).toBe(true);
    const [exact] = selectEvaluators(["tool_trajectory"]);
    expect((await exact?.evaluate(c, run({ toolCalls: ["refund_policy", "lookup_order"] })))?.pass).toBe(false);
  });
  it("by default picks every built-in that needs no model", () => {
    expect(selectEvaluators(undefined).map((e) => e.name)).toEqual([
      "exact_match",
      "facts",
      "forbidden",
      "patterns",
      "rouge_l",
      "tool_trajectory",
      "groundedness",
    ]);
  });
  it("refuses an unknown name and a model evaluator without its model, naming the fix", () => {
    expect(() => selectEvaluators(["facts", "bleu"])).toThrow(/unknown evaluator "bleu"; use any of exact_match/);
    expect(() => selectEvaluators(["llm_judge"])).toThrow(/options\.judge = \{ model \}/);
    expect(selectEvaluators(["embedding_similarity"], { embeddings: new HashedEmbeddings() }).map((e) => e.name)).toEqual([
      "embedding_similarity",
    ]);
  });
});
