/**
 * The README's "Metric catalogue" lists every metric agentwatch emits (the METRIC catalogue of
 * semconv.ts), each with a type, labels and a meaning, and lists no agentwatch_ metric that does
 * not exist. The types are the ones the registry reports.
 */
import { readFileSync } from "node:fs";

import { BasicTracerProvider, InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it } from "vitest";

import { METRIC, monitoredBatchSpanProcessor } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";

const README = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
const HEADING = "## Metric catalogue";

/** The text of the README section under `heading`, up to the next heading of level 1 or 2. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no "${heading}" section`);
  const body = markdown.slice(start + heading.length + 2);
  const end = body.search(/^#{1,2} /m);
  return end < 0 ? body : body.slice(0, end);
}

interface Row {
  name: string;
  type: string;
  labels: string;
  meaning: string;
}

/** The catalogue table's rows (after the header and its separator), by metric name. */
function rows(text: string): Row[] {
  const table = text.split("\n").filter((l) => l.startsWith("|"));
  return table.slice(2).map((line) => {
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    const name = /^`([a-z_:]+)`$/.exec(cells[0] ?? "")?.[1];
    if (name === undefined) throw new Error(`a catalogue row whose first cell is not one \`metric_name\`: ${line}`);
    return { name, type: cells[1] ?? "", labels: cells[2] ?? "", meaning: cells[3] ?? "" };
  });
}

const catalogue = section(README, HEADING);
const listed = rows(catalogue);
const emitted = new Set<string>(Object.values(METRIC));

const make = handlerMaker();
const providers: BasicTracerProvider[] = [];
afterAll(async () => {
  for (const p of providers.splice(0)) await p.shutdown();
});

describe("README metric catalogue", () => {
  it("lists every metric of METRIC, once each", () => {
    const names = listed.map((r) => r.name);
    expect(
      [...emitted].filter((m) => !names.includes(m)),
      "metrics missing from the README's catalogue table",
    ).toEqual([]);
    expect(
      names.filter((n, i) => names.indexOf(n) !== i),
      "listed twice",
    ).toEqual([]);
  });

  it("lists no metric that METRIC does not have, in the table or its prose", () => {
    expect(
      listed.map((r) => r.name).filter((n) => !emitted.has(n)),
      "rows for metrics agentwatch does not emit",
    ).toEqual([]);
    const mentioned = [...new Set(catalogue.match(/\bagentwatch_[a-z_]+/g) ?? [])];
    expect(
      mentioned.filter((n) => !emitted.has(n)),
      "agentwatch_ names in the catalogue section that are not in METRIC",
    ).toEqual([]);
  });

  it("gives each metric the type the registry reports, and a meaning", async () => {
    // Drift's gauges exist only with the drift option.
    const { handler } = make({ drift: {} });
    const provider = new BasicTracerProvider({
      spanProcessors: [monitoredBatchSpanProcessor(new InMemorySpanExporter(), { registry: handler.registry })],
    });
    providers.push(provider);
    const types = new Map((await handler.registry.getMetricsAsJSON()).map((m) => [m.name, String(m.type)]));
    for (const row of listed) {
      expect(types.get(row.name), `registry type of ${row.name}`).toBe(row.type);
      expect(row.meaning, `meaning of ${row.name}`).not.toBe("");
    }
  });
});
