import { describe, expect, it } from "vitest";

import { createDenylist } from "../../src/guardrails/detectors/denylist.js";

function spans(scan: (text: string) => { start: number; end: number }[], text: string): string[] {
  return scan(text).map((f) => text.slice(f.start, f.end));
}

describe("createDenylist", () => {
  const scan = createDenylist(["Project Falcon", "falcon", "c++", "a.b", "(beta)", "crème brûlée"]);

  it("matches whole words and phrases, case-insensitively", () => {
    expect(spans(scan, "Is PROJECT   falcon\nlate? falcons and falconry are fine, FALCON is not")).toEqual(["PROJECT   falcon", "FALCON"]);
  });

  it("prefers the longer term where terms overlap", () => {
    expect(scan("project falcon")).toHaveLength(1);
  });

  it("treats regex special characters literally", () => {
    expect(spans(scan, "I write C++ and a.b, not axb or c+")).toEqual(["C++", "a.b"]);
    expect(spans(scan, "release (beta) soon")).toEqual(["(beta)"]);
  });

  it("normalizes Unicode (NFKC) and ignores zero-width characters", () => {
    expect(spans(scan, "ｆａｌｃｏｎ")).toEqual(["ｆａｌｃｏｎ"]);
    expect(spans(scan, "fal\u200Bcon")).toEqual(["fal\u200Bcon"]);
    expect(spans(scan, "CRÈME BRÛLÉE")).toEqual(["CRÈME BRÛLÉE"]);
    expect(spans(scan, "creme brulee")).toEqual([]);
  });

  it("produces position-only findings named after the list", () => {
    const named = createDenylist(["secret sauce"], { name: "brand_terms" });
    expect(named("our Secret Sauce!")).toEqual([{ detector: "brand_terms", type: "denylisted_term", start: 4, end: 16 }]);
    expect(createDenylist(["x"])("x")[0]?.detector).toBe("denylist");
  });

  it("returns nothing for an empty list or empty text", () => {
    expect(createDenylist([])("anything")).toEqual([]);
    expect(scan("")).toEqual([]);
  });

  it.each([
    [["ok", ""], /terms\[1\] must be a non-empty string, got ""; remove it or replace it/],
    [["ok", "   "], /terms\[1\]/],
    [["\u200B"], /terms\[0\]/],
    [["ok", "fine", 42], /terms\[2\] must be a non-empty string, got number 42/],
    [[null], /terms\[0\] must be a non-empty string, got null/],
  ])("rejects %j naming the bad entry", (terms, message) => {
    expect(() => createDenylist(terms as string[])).toThrow(TypeError);
    expect(() => createDenylist(terms as string[])).toThrow(message);
  });

  it("rejects a non-array and a bad name", () => {
    expect(() => createDenylist("falcon" as unknown as string[])).toThrow(/terms must be an array of strings/);
    expect(() => createDenylist(["x"], { name: "" })).toThrow(/options.name must be a non-empty string/);
  });
});
