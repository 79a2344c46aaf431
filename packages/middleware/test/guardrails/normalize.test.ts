import { describe, expect, it } from "vitest";

import { normalizeForMatching, originalSpan } from "../../src/guardrails/detectors/normalize.js";

describe("normalizeForMatching", () => {
  it("applies NFKC, lowercases, drops zero-width characters and collapses whitespace", () => {
    expect(normalizeForMatching("Ｈｅｌｌｏ\u200B  \n WORLD ﬁne").text).toBe("hello world fine");
  });

  it("strips marks and reads leetspeak only when asked", () => {
    expect(normalizeForMatching("Prévi0us").text).toBe("prévi0us");
    expect(normalizeForMatching("Prévi0us", { stripMarks: true, leetspeak: true }).text).toBe("previous");
  });

  it("joins spelled-out words only when asked", () => {
    expect(normalizeForMatching("i.g.n.o.r.e it", { joinSpelledOut: true }).text).toBe("ignore it");
    expect(normalizeForMatching("i.g.n.o.r.e it").text).toBe("i.g.n.o.r.e it");
    expect(normalizeForMatching("U.S. e.g. a-b", { joinSpelledOut: true }).text).toBe("u.s. e.g. a-b");
  });

  it("maps every normalized span back to the original text", () => {
    const original = "A\u200B Ｂ  ﬁx  ó";
    const normalized = normalizeForMatching(original, { stripMarks: true });
    expect(normalized.text).toBe("a b fix o");
    expect(normalized.starts).toHaveLength(normalized.text.length);
    const at = (from: number, to: number) => {
      const span = originalSpan(normalized, from, to);
      return original.slice(span.start, span.end);
    };
    expect(at(0, 3)).toBe("A\u200B Ｂ");
    expect(at(4, 7)).toBe("ﬁx");
    expect(at(8, 9)).toBe("ó");
    expect(at(9, 9)).toBe("");
  });
});
