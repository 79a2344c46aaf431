/** packages/demo-agent/INCIDENTS.md quotes the alert rules as they are: its alert blocks are generated from them. */
import { describe, expect, it } from "vitest";

import { INCIDENTS } from "../../packages/demo-agent/src/index.js";
import { alertBlocks, alertNames, buildRules, incidentsDocText, renderAlertBlock, renderAlertBlocks } from "../src/index.js";

const rules = buildRules();
const { current, rendered } = await incidentsDocText(rules);
const blocks = alertBlocks(current);

/** The incident section (`### \`name\``) a block is in. */
function sectionOf(index: number): string | undefined {
  const headings = [...current.slice(0, index).matchAll(/^### `([a-z-]+)`$/gm)];
  return headings.at(-1)?.[1];
}

describe("INCIDENTS.md alert blocks", () => {
  it("are what `npm run generate:rules` renders from the rules", () => {
    expect(
      current,
      "packages/demo-agent/INCIDENTS.md's alert blocks differ from the rules: run `npm run generate:rules` and commit the result",
    ).toBe(rendered);
  });

  it("together name every alert of the rules, each once", () => {
    const named = blocks.flatMap((b) => b.alerts);
    expect([...named].sort()).toEqual([...alertNames(rules).keys()].sort());
  });

  it("quote each incident's alert in that incident's section", () => {
    for (const incident of INCIDENTS) {
      const inSection = blocks.filter((b) => sectionOf(b.index) === incident.name).flatMap((b) => b.alerts);
      expect(inSection, `### \`${incident.name}\``).toContain(incident.alert);
    }
  });

  it("quote each rule's severity, `for` and expression", () => {
    const rule = rules.alerting.flatMap((g) => g.rules).find((r) => r.alert === "AgentLatencyP99High");
    expect(rule).toBeDefined();
    if (rule === undefined) return;
    const text = renderAlertBlock(rules, ["AgentLatencyP99High"]);
    expect(text).toContain(`(severity \`${rule.labels.severity}\`, for \`${rule.for}\`)`);
    expect(text).toContain(`  ${rule.expr}\n`);
    expect(text).toContain("> 6.4");
  });

  it("reject a block naming an alert no rule defines, and a BEGIN marker without its END", async () => {
    await expect(renderAlertBlocks("<!-- BEGIN alert-rules: NoSuchAlert -->\n<!-- END alert-rules -->\n", rules, "x.md")).rejects.toThrow(
      /NoSuchAlert/,
    );
    expect(() => alertBlocks("<!-- BEGIN alert-rules: AgentToolLoop -->\ntext\n")).toThrow(/END alert-rules/);
  });

  it("rewrite a stale block and leave the text around it alone", async () => {
    const stale =
      "# Doc\n\nBefore.\n\n<!-- BEGIN alert-rules: AgentToolLoop -->\n\n- `AgentToolLoop`: `... > 0`\n\n<!-- END alert-rules -->\n\nAfter.\n";
    const out = await renderAlertBlocks(stale, rules, "x.md");
    expect(out.startsWith("# Doc\n\nBefore.\n\n<!-- BEGIN alert-rules: AgentToolLoop -->\n")).toBe(true);
    expect(out.endsWith("<!-- END alert-rules -->\n\nAfter.\n")).toBe(true);
    expect(out).not.toContain("... > 0");
    expect(out).toContain(">= 3");
  });
});
