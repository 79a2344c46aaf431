/**
 * Every committed dashboard conforms to Grafana's dashboard schema as the Grafana Foundation SDK
 * types it (see support/schema-check.ts), and the check catches what it should.
 */
import { describe, expect, it } from "vitest";

import { committedDashboards } from "./support/dashboards.js";
import { schemaErrors } from "./support/schema-check.js";

describe("dashboards against the SDK's dashboard schema types", { timeout: 60_000 }, () => {
  const committed = committedDashboards();
  const broken = structuredClone(committed[0]?.json) as unknown as {
    panels: { type: string; options?: Record<string, unknown>; fieldConfig?: { defaults: Record<string, unknown> } }[];
    graphTooltip?: unknown;
    timepicker?: unknown;
  };
  const timeseries = broken.panels.find((p) => p.type === "timeseries");
  if (timeseries?.options === undefined || timeseries.fieldConfig === undefined)
    throw new Error("the first dashboard has no time series panel");
  timeseries.options.legend = { displayMode: "sideways", placement: "bottom", showLegend: true, calcs: [] }; // not a LegendDisplayMode
  timeseries.fieldConfig.defaults.unitt = "s"; // misspelt key
  broken.timepicker = { refresh_intervals: "30s" }; // a string where the schema wants a list

  const errors = schemaErrors([...committed.map((d) => ({ name: d.file, json: d.json })), { name: "broken", json: broken }]);

  it("finds no error in the committed dashboards", () => {
    for (const { file } of committed) expect(errors.get(file), file).toEqual([]);
    expect(errors.get("(prelude)") ?? []).toEqual([]);
  });

  it("reports a bad enum value, a misspelt key and a wrong type", () => {
    const found = (errors.get("broken") ?? []).join("\n");
    expect(found).toMatch(/"sideways"/);
    expect(found).toMatch(/unitt/);
    expect(found).toMatch(/refresh_intervals|string\[\]/);
  });
});
