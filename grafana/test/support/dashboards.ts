/**
 * Reading the committed dashboards: their panels, the PromQL and TraceQL in them, and Grafana's
 * template-variable substitution as the tests apply it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const GRAFANA_DIR = fileURLToPath(new URL("../../", import.meta.url));
export const REPO_DIR = fileURLToPath(new URL("../../../", import.meta.url));
export const DASHBOARDS_DIR = join(GRAFANA_DIR, "dashboards");

/** The parts of Grafana's dashboard JSON the tests read (the SDK's types check the whole). */
export interface DatasourceRef {
  type?: string;
  uid?: string;
}
export interface Target {
  refId?: string;
  datasource?: DatasourceRef;
  expr?: string;
  exemplar?: boolean;
  instant?: boolean;
  queryType?: string;
  query?: string;
}
export interface Panel {
  id?: number;
  type: string;
  title?: string;
  description?: string;
  datasource?: DatasourceRef;
  gridPos?: { x: number; y: number; w: number; h: number };
  targets?: Target[];
  panels?: Panel[];
  links?: { url?: string }[];
  fieldConfig?: { defaults?: { unit?: string; links?: { url?: string }[] } };
  options?: { yAxis?: { unit?: string } };
}
export interface Variable {
  type: string;
  name: string;
  query?: string | Record<string, unknown>;
  datasource?: DatasourceRef;
  includeAll?: boolean;
  allValue?: string;
  current?: { value?: string | string[] };
}
export interface Annotation {
  name: string;
  datasource?: DatasourceRef;
  expr?: string;
}
export interface DashboardJson {
  uid?: string;
  title?: string;
  description?: string;
  tags?: string[];
  panels?: Panel[];
  templating: { list?: Variable[] };
  annotations: { list?: Annotation[] };
  links?: { url?: string; type?: string; includeVars?: boolean; keepTime?: boolean }[];
}

export interface CommittedDashboard {
  file: string;
  text: string;
  json: DashboardJson;
}

/** Every grafana/dashboards/*.json, parsed. */
export function committedDashboards(): CommittedDashboard[] {
  return readdirSync(DASHBOARDS_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => {
      const text = readFileSync(join(DASHBOARDS_DIR, file), "utf8");
      return { file, text, json: JSON.parse(text) as DashboardJson };
    });
}

/** Every panel of a dashboard, rows' nested panels included (rows themselves too). */
export function allPanels(d: DashboardJson): Panel[] {
  return (d.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** The datasource a target queries: its own, else its panel's. */
export function targetDatasource(panel: Panel, target: Target): DatasourceRef | undefined {
  return target.datasource ?? panel.datasource;
}

/** One query somewhere in a dashboard. */
export interface FoundQuery {
  dashboard: string;
  /** Panel title, `annotation: name` or `variable: name`. */
  where: string;
  refId: string;
  kind: "promql" | "traceql" | "label_values";
  /** As written in the dashboard. */
  raw: string;
  exemplar: boolean;
}

/** Every PromQL (targets, annotations), `label_values()` variable query and TraceQL of a dashboard. */
export function queriesOf(d: DashboardJson): FoundQuery[] {
  const dashboard = d.uid ?? "?";
  const found: FoundQuery[] = [];
  for (const panel of allPanels(d)) {
    for (const target of panel.targets ?? []) {
      const type = targetDatasource(panel, target)?.type;
      const base = { dashboard, where: panel.title ?? "?", refId: target.refId ?? "?", exemplar: target.exemplar === true };
      if (type === "prometheus" && target.expr !== undefined) found.push({ ...base, kind: "promql", raw: target.expr });
      else if (type === "tempo" && target.query !== undefined) found.push({ ...base, kind: "traceql", raw: target.query });
      else throw new Error(`${dashboard} / ${panel.title}: a ${String(type)} target the tests do not know: ${JSON.stringify(target)}`);
    }
  }
  for (const a of d.annotations.list ?? []) {
    if (a.expr !== undefined)
      found.push({ dashboard, where: `annotation: ${a.name}`, refId: "-", kind: "promql", raw: a.expr, exemplar: false });
  }
  for (const v of d.templating.list ?? []) {
    if (v.type === "query" && typeof v.query === "string") {
      found.push({ dashboard, where: `variable: ${v.name}`, refId: "-", kind: "label_values", raw: v.query, exemplar: false });
    }
  }
  return found;
}

/** What Grafana puts in place of its global variables when the tests run a query (time range 1 h, step 1 m). */
export const GRAFANA_MACROS: Readonly<Record<string, string>> = {
  __rate_interval: "1m",
  __interval: "1m",
  __range: "1h",
  __range_s: "3600",
};

/**
 * Substitutes Grafana variables as Grafana would with every multi-value variable at "All": a query
 * or custom variable becomes its `allValue` (`.*`), a text box or constant its current value, a
 * datasource variable its current uid; `$__rate_interval` and friends come from {@link GRAFANA_MACROS};
 * `extra` overrides. `$1` (label_replace's capture group) is left alone. Throws on an unknown variable.
 */
export function substitute(text: string, d: DashboardJson, extra: Record<string, string> = {}): string {
  const values: Record<string, string> = { ...GRAFANA_MACROS };
  for (const v of d.templating.list ?? []) {
    const current = Array.isArray(v.current?.value) ? v.current.value[0] : v.current?.value;
    if (v.includeAll === true && v.allValue !== undefined) values[v.name] = v.allValue;
    else if (current !== undefined) values[v.name] = current;
  }
  Object.assign(values, extra);
  return text.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (match, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? "";
    if (/^\d+$/.test(name)) return match;
    const value = values[name];
    if (value === undefined) throw new Error(`unknown variable $${name} in: ${text}`);
    return value;
  });
}
