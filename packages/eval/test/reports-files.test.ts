import { DOMParser } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";

import { baselineOf, compare } from "../src/gate/index.js";
import { jsonReport, junitXml, markdownReport } from "../src/reports/index.js";
import { makeReport } from "./support/report.js";

const hostile = `refund <b>"now"</b> & 'later' \u0001 ]]> | pipe`;
const baseline = baselineOf(
  makeReport(
    [
      { id: "ok-1", scores: { facts: 1, exact: 1 }, tags: ["orders"] },
      { id: "lost<1>", scores: { facts: 1, exact: 1 }, tags: ["refunds"] },
      { id: "gone", scores: { facts: 1, exact: 1 } },
    ],
    { name: "support", version: "v1" },
  ),
);
const report = makeReport([
  { id: "ok-1", scores: { facts: 1, exact: 1 }, tags: ["orders"], latencyMs: 250 },
  {
    id: "lost<1>",
    scores: { facts: 0, exact: 1 },
    tags: ["refunds"],
    input: hostile,
    explanations: { facts: `missing "30 days" & <policy>` },
  },
  { id: "new", scores: { facts: 1, exact: 0 }, tags: ["orders"], error: "timeout after 30 s" },
]);
const gate = compare(report, baseline, { minimum: { facts: 0.9 } });

/** Parses strictly: any XML warning or error throws. */
function parseXml(text: string) {
  return new DOMParser({
    onError: (level, message) => {
      throw new Error(`XML ${level}: ${message}`);
    },
  }).parseFromString(text, "text/xml");
}

describe("JUnit XML", () => {
  const xml = junitXml(report, gate);
  const doc = parseXml(xml);

  it("is well-formed XML even with markup, quotes and control characters in the text", () => {
    expect(doc.documentElement?.nodeName).toBe("testsuites");
    expect(() => parseXml(junitXml({ ...report, dataset: hostile }))).not.toThrow();
  });

  it("has one testcase per case, classname = the dataset, a failure naming the failed evaluators with their explanations", () => {
    const cases = Array.from(doc.getElementsByTagName("testcase"));
    expect(cases.map((c) => c.getAttribute("name"))).toEqual(["ok-1", "lost<1>", "new"]);
    expect(cases.every((c) => c.getAttribute("classname") === "acme")).toBe(true);
    expect(cases[0]?.getElementsByTagName("failure").length).toBe(0);
    expect(cases[0]?.getAttribute("time")).toBe("0.250");
    const lost = cases[1]?.getElementsByTagName("failure")[0];
    expect(lost?.getAttribute("message")).toBe("failed: facts");
    expect(lost?.textContent).toContain(`facts 0.000: missing "30 days" & <policy>`);
    expect(lost?.textContent).toContain("input: refund <b>");
    const failed = cases[2]?.getElementsByTagName("failure")[0];
    expect(failed?.getAttribute("message")).toBe("failed: exact, error");
    expect(failed?.textContent).toContain("error sample 0: timeout after 30 s");
    const suite = doc.getElementsByTagName("testsuite")[0];
    expect(suite?.getAttribute("tests")).toBe("3");
    expect(suite?.getAttribute("failures")).toBe("2");
    const props = Array.from(doc.getElementsByTagName("property")).map((p) => [p.getAttribute("name"), p.getAttribute("value")]);
    expect(props).toContainEqual(["gate", "fail"]);
    expect(props).toContainEqual(["version", "v2"]);
  });
});

describe("Markdown report", () => {
  const md = markdownReport(report, gate);

  it("opens with the verdict and has the table evaluator | baseline | current | Δ (interval) | verdict", () => {
    expect(md.split("\n")[0]).toBe("## ❌ Gate failed: acme · support@v2");
    expect(md).toContain("Failed: `facts`.");
    expect(md).toContain("| evaluator | baseline | current | Δ (interval) | verdict |");
    const facts = md.split("\n").find((l) => l.startsWith("| `facts` |"));
    expect(facts).toMatch(
      /^\| `facts` \| 1\.000 \| 0\.667 \[0\.667, 0\.667\] \| −0\.500 \[−1\.000, \+1\.000\] \| ❌ mean 0\.667 is below the minimum 0\.900 \|$/,
    );
  });

  it("lists cases not compared, scores by tag, the worst cases with input and explanation, cost and latency", () => {
    expect(md).toContain("Not compared: 1 case(s) not in the baseline (`new`), 1 baseline case(s) not in this run (`gone`).");
    expect(md).toContain("| orders | 2 | 0.500 | 1.000 |");
    expect(md).toContain("| refunds | 1 | 1.000 | 0.000 |");
    const worst = md.split("\n").find((l) => l.startsWith("| `lost<1>` |"));
    expect(worst).toContain("refund &lt;b&gt;\"now\"&lt;/b&gt; & 'later'");
    expect(worst).toContain("\\| pipe");
    expect(worst).toContain('missing "30 days" & &lt;policy&gt;');
    expect(md).toContain("Cost $0.0030 in all ($0.0010 a case); latency p50 100 ms, p95 180 ms; 1 target error; run took 1.23 s.");
  });

  it("without a gate, shows the scores only", () => {
    const plain = markdownReport(report);
    expect(plain).toContain("No gate: scores only.");
    expect(plain).not.toContain("### Worst cases");
  });
});

describe("JSON report", () => {
  it("holds the report and the gate result", () => {
    expect(JSON.parse(jsonReport(report, gate))).toEqual(JSON.parse(JSON.stringify({ report, gate })));
    expect(Object.keys(JSON.parse(jsonReport(report)))).toEqual(["report"]);
  });
});
