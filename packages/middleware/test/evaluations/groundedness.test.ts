import { describe, expect, it } from "vitest";

import { contentWords, stem } from "../../src/evaluations/heuristics/content-words.js";
import { GROUNDEDNESS_SUPPORT_THRESHOLD, groundednessScore } from "../../src/evaluations/heuristics/groundedness.js";
import { splitSentences } from "../../src/evaluations/heuristics/sentences.js";

const documents = [
  "Refunds are issued to the original payment method within 14 days of receiving the returned item.",
  "Standard shipping to Germany takes 3-5 business days. Express delivery costs 9.99 EUR.",
  "Opened electronics can be returned within 30 days if all accessories are included.",
];

describe("groundednessScore", () => {
  it("exports its support threshold", () => {
    expect(GROUNDEDNESS_SUPPORT_THRESHOLD).toBe(0.6);
  });

  it("scores an answer whose every sentence comes from the documents as 1", () => {
    const answer =
      "Your refund is issued to the original payment method within 14 days. Standard shipping to Germany takes 3-5 business days.";
    expect(groundednessScore(answer, documents)).toBe(1);
  });

  it("matches inflections: plurals, -ed, -ing", () => {
    expect(groundednessScore("We issue refunds after we receive the returned items.", documents)).toBe(1);
    expect(groundednessScore("Returning opened electronic accessories is included.", documents)).toBe(1);
  });

  it("scores an answer made up of unsupported claims as 0", () => {
    const answer = "We offer free overnight drone delivery to Mars. Loyalty members get a lifetime warranty on furniture.";
    expect(groundednessScore(answer, documents)).toBe(0);
  });

  it("scores a mixed answer by the share of supported sentences", () => {
    const answer = [
      "Refunds are issued within 14 days of receiving the returned item.",
      "Express delivery costs 9.99 EUR.",
      "Every customer also receives a complimentary gift basket with chocolate.",
      "Our warehouse robots are powered by solar panels on the roof.",
    ].join(" ");
    expect(groundednessScore(answer, documents)).toBe(0.5);
  });

  it("fails a sentence whose numbers and words are mostly absent", () => {
    expect(groundednessScore("Refunds arrive within 90 minutes via courier.", documents)).toBe(0);
  });

  it("is word overlap, not meaning: one wrong number among supported words still passes", () => {
    // refund, take, day are in the documents; 90 is not: 3/4 ≥ 0.6.
    expect(groundednessScore("Refunds take 90 days.", documents)).toBe(1);
  });

  it("skips sentences without content words", () => {
    expect(groundednessScore("Sure! Refunds are issued within 14 days. Thanks, hope this helps!", documents)).toBe(1);
  });

  it("scores an answer with no content words as 1, even without documents", () => {
    expect(groundednessScore("OK, thanks!", documents)).toBe(1);
    expect(groundednessScore("", [])).toBe(1);
  });

  it("scores a substantive answer as 0 when there are no documents", () => {
    expect(groundednessScore("Refunds are issued within 14 days.", [])).toBe(0);
    expect(groundednessScore("Refunds are issued within 14 days.", ["", "   "])).toBe(0);
  });

  it("always returns a number in 0..1", () => {
    for (const answer of ["a", "Refunds.", "x y z. Refunds within 14 days!", "\n\n"]) {
      const score = groundednessScore(answer, documents);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
  });
});

describe("groundedness helpers", () => {
  it("splitSentences splits on sentence ends and line breaks, keeping decimals", () => {
    expect(splitSentences("It costs 9.99 EUR. Really? Yes!\nNew line")).toEqual(["It costs 9.99 EUR.", "Really?", "Yes!", "New line"]);
  });

  it("stem maps inflections together", () => {
    expect(new Set(["refund", "refunds", "refunded", "refunding"].map(stem)).size).toBe(1);
    expect(new Set(["ship", "shipped", "shipping", "ships"].map(stem)).size).toBe(1);
    expect(new Set(["charge", "charged", "charges", "charging"].map(stem)).size).toBe(1);
    expect(stem("deliveries")).toBe(stem("delivery"));
    expect(stem("boxes")).toBe(stem("box"));
    expect(stem("address")).toBe("address");
  });

  it("contentWords drops stopwords and keeps numbers", () => {
    expect([...contentWords("Where is my order? It's been 14 days and it cost 9.99!")]).toEqual(["order", "14", "day", "cost", "9.99"]);
  });
});
