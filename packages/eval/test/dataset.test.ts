import { DatasetError, loadDataset } from "@agentwatch/eval";
import { describe, expect, it } from "vitest";

import { jsonl, tempFile } from "./temp-files.js";

async function failure(text: string, name = "acme.jsonl"): Promise<DatasetError> {
  const error = await loadDataset(tempFile(name, text)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

const ok = { id: "c1", input: "Where is my order AB-1234?" };

describe("loadDataset", () => {
  it("reads one case a line, skipping blank lines, with every field and its line number", async () => {
    const path = tempFile(
      "acme-support.jsonl",
      jsonl(
        {
          ...ok,
          reference: "It shipped.",
          facts: ["shipped"],
          forbidden: ["Globex"],
          patterns: ["\\d+"],
          tools: ["lookup_order"],
          tags: ["orders"],
        },
        "",
        "   ",
        { id: "c2", input: "Refunds?" },
      ),
    );
    const dataset = await loadDataset(path);
    expect(dataset.name).toBe("acme-support");
    expect(dataset.path).toBe(path);
    expect(dataset.cases).toEqual([
      {
        id: "c1",
        input: ok.input,
        reference: "It shipped.",
        facts: ["shipped"],
        forbidden: ["Globex"],
        patterns: ["\\d+"],
        tools: ["lookup_order"],
        tags: ["orders"],
        line: 1,
      },
      { id: "c2", input: "Refunds?", tags: [], line: 4 },
    ]);
    expect((await loadDataset(path, { name: "golden" })).name).toBe("golden");
  });

  it("names the line, the field and the fix for a field of the wrong type", async () => {
    const six = [1, 2, 3, 4, 5, 6].map((n) => ({ id: `c${n}`, input: "x" }));
    const error = await failure(jsonl(...six, { id: "c7", input: "x", facts: "shipped" }));
    expect(error.line).toBe(7);
    expect(error.field).toBe("facts");
    expect(error.message).toBe('acme.jsonl line 7: "facts" must be an array of strings (got a string); write "facts": ["..."]');
  });

  it("names a non-string item of an array", async () => {
    const error = await failure(jsonl({ ...ok, tools: ["lookup_order", 3] }));
    expect([error.line, error.field]).toEqual([1, "tools"]);
    expect(error.message).toContain('"tools"[1] must be a non-empty string (got a number)');
  });

  it("refuses unknown fields, naming them", async () => {
    const error = await failure(jsonl({ ...ok, expected: "x", tag: ["a"] }));
    expect([error.line, error.field]).toEqual([1, "expected"]);
    expect(error.message).toContain('unknown fields "expected", "tag"');
    expect(error.message).toContain("id, input, reference, facts, forbidden, patterns, tools, tags");
  });

  it("refuses a missing or empty id or input", async () => {
    const missing = await failure(jsonl({ id: "c1" }));
    expect([missing.line, missing.field]).toEqual([1, "input"]);
    expect(missing.message).toContain('"input" is missing');
    const empty = await failure(jsonl(ok, { id: " ", input: "x" }));
    expect([empty.line, empty.field]).toEqual([2, "id"]);
    expect(empty.message).toContain("(got an empty string)");
  });

  it("refuses a repeated id, naming both lines", async () => {
    const error = await failure(jsonl(ok, { id: "c2", input: "x" }, "", ok));
    expect([error.line, error.field]).toEqual([4, "id"]);
    expect(error.message).toContain('"id" "c1" is already used on line 1');
  });

  it("refuses an invalid regular expression in patterns", async () => {
    const error = await failure(jsonl({ ...ok, patterns: ["ok", "$(10"] }));
    expect([error.line, error.field]).toEqual([1, "patterns"]);
    expect(error.message).toContain('"patterns"[1] is not a valid JavaScript regular expression');
  });

  it("refuses lines that are not JSON objects, and comments", async () => {
    const broken = await failure(jsonl(ok, '{"id": "c2", "input": '));
    expect([broken.line, broken.field]).toEqual([2, undefined]);
    expect(broken.message).toContain("acme.jsonl line 2: not valid JSON");
    const comment = await failure(jsonl("// orders", ok));
    expect(comment.line).toBe(1);
    expect(comment.message).toContain("comments are not allowed");
    const array = await failure(jsonl(["c1"]));
    expect(array.message).toContain("a case must be a JSON object (got an array)");
  });

  it("says when the file is missing or has no cases", async () => {
    const missing = (await loadDataset("/nonexistent/acme.jsonl").catch((e: unknown) => e)) as DatasetError;
    expect(missing).toBeInstanceOf(DatasetError);
    expect(missing.message).toContain("/nonexistent/acme.jsonl does not exist");
    expect(missing.line).toBeUndefined();
    expect((await failure("\n\n")).message).toContain("has no cases");
  });
});
