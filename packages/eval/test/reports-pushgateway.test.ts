// The Pushgateway path against the real binary (Debian's prometheus-pushgateway).

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { freePort } from "../../../test-support/prometheus.js";
import { Pushgateway } from "../../../test-support/pushgateway.js";
import { baselineOf, compare } from "../src/gate/index.js";
import { pushResults } from "../src/reports/index.js";
import { makeReport } from "./support/report.js";

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await Pushgateway.start();
});
afterAll(async () => {
  await gateway?.stop();
});

/** Sample lines of `name` in a text exposition, as label maps with the value. */
function samples(text: string, name: string): Array<{ labels: Record<string, string>; value: number }> {
  return text
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .map((line) => {
      const m = /^[a-z_]+(?:\{(.*)\})? (\S+)$/.exec(line);
      if (m === null) throw new Error(`unparsable sample: ${line}`);
      const labels: Record<string, string> = {};
      for (const pair of (m[1] ?? "").matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1] ?? ""] = pair[2] ?? "";
      return { labels, value: Number(m[2]) };
    });
}

describe("pushResults to a real Pushgateway", () => {
  it("pushes agentwatch_offline_eval_score{dataset,prompt,version,evaluator}, the case count and the gate", async () => {
    const v1 = makeReport(
      [
        { id: "a", scores: { exact: 1, facts: 1 } },
        { id: "b", scores: { exact: 1, facts: 0.5 } },
      ],
      { name: "support", version: "v1" },
    );
    const v2 = makeReport(
      [
        { id: "a", scores: { exact: 0.5, facts: 1 } },
        { id: "b", scores: { exact: 0, facts: 0.5 } },
      ],
      { name: "support", version: "v2" },
    );
    await pushResults(gateway.url, v1);
    await pushResults(gateway.url, v2, compare(v2, baselineOf(v1), { minimum: { exact: 0.9 } }));

    const text = await gateway.metrics();
    const scores = samples(text, "agentwatch_offline_eval_score");
    const of = (version: string, evaluator: string) => scores.find((s) => s.labels.version === version && s.labels.evaluator === evaluator);
    expect(of("v1", "exact")?.labels).toMatchObject({
      job: "agentwatch_eval",
      dataset: "acme",
      prompt: "support",
      version: "v1",
      evaluator: "exact",
    });
    expect(of("v1", "exact")?.value).toBe(1);
    expect(of("v1", "facts")?.value).toBe(0.75);
    expect(of("v2", "exact")?.value).toBe(0.25);
    expect(scores).toHaveLength(4);

    const cases = samples(text, "agentwatch_offline_eval_cases");
    expect(cases.map((s) => [s.labels.version, s.value]).sort()).toEqual([
      ["v1", 2],
      ["v2", 2],
    ]);
    const gate = samples(text, "agentwatch_offline_eval_gate_passed");
    expect(gate).toEqual([{ labels: expect.objectContaining({ version: "v2", dataset: "acme", prompt: "support" }), value: 0 }]);
    expect(samples(text, "agentwatch_offline_eval_cost_usd").find((s) => s.labels.version === "v2")?.value).toBeCloseTo(0.002, 10);
  });

  it("a new run of the same version replaces its group's series", async () => {
    const again = makeReport([{ id: "a", scores: { exact: 1 } }], { name: "support", version: "v2" });
    await pushResults(gateway.url, again);
    const scores = samples(await gateway.metrics(), "agentwatch_offline_eval_score").filter((s) => s.labels.version === "v2");
    expect(scores.map((s) => [s.labels.evaluator, s.value])).toEqual([["exact", 1]]);
  });

  it("says which gateway failed and why", async () => {
    const report = makeReport([{ id: "a", scores: { exact: 1 } }]);
    const closed = `http://127.0.0.1:${await freePort()}`;
    await expect(pushResults(closed, report)).rejects.toThrow(new RegExp(`pushing to the Pushgateway at ${closed} failed: .*ECONNREFUSED`));
    await expect(pushResults(gateway.url, { ...report, prompt: { name: "a/b", version: "1" } })).rejects.toThrow(
      'prompt "a/b" contains "/"',
    );
  });
});
