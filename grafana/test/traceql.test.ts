/**
 * Every TraceQL query of the dashboards (trace-search panels) parses with Grafana's own TraceQL
 * grammar (@grafana/lezer-traceql, the parser of Grafana's Tempo query editor) without an error node,
 * before and after variable substitution.
 */
import { parser } from "@grafana/lezer-traceql";
import { describe, expect, it } from "vitest";

import { committedDashboards, queriesOf, substitute } from "./support/dashboards.js";

/** Positions and text of the parse tree's error nodes. */
function parseErrors(query: string): string[] {
  const errors: string[] = [];
  parser.parse(query).iterate({
    enter(node) {
      if (node.type.isError)
        errors.push(`error at ${node.from}: ${JSON.stringify(query.slice(Math.max(0, node.from - 10), node.to + 10))}`);
    },
  });
  return errors;
}

describe("TraceQL in the dashboards", () => {
  const found = committedDashboards().flatMap(({ json }) =>
    queriesOf(json)
      .filter((q) => q.kind === "traceql")
      .map((q) => ({ q, json })),
  );

  it("has trace searches for slow, failed and expensive agent runs", () => {
    const titles = found.map(({ q }) => q.where);
    for (const word of ["Slow", "Failed", "Expensive"])
      expect(
        titles.some((t) => t.includes(word)),
        `${word}: ${titles.join(", ")}`,
      ).toBe(true);
  });

  it("parses every query, as written and with the variables substituted", () => {
    const failures: string[] = [];
    for (const { q, json } of found) {
      for (const text of [q.raw, substitute(q.raw, json)]) {
        const errors = parseErrors(text);
        if (errors.length > 0) failures.push(`${q.dashboard} / ${q.where}: ${text}\n  ${errors.join("\n  ")}`);
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });

  it("the parser does report errors (the check is not vacuous)", () => {
    expect(parseErrors('{ span.gen_ai.operation.name = "invoke_agent" && duration > }')).not.toEqual([]);
    expect(parseErrors("{ status = error ")).not.toEqual([]);
  });
});
