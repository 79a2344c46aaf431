/**
 * Checks dashboard JSON against the Grafana Foundation SDK's TypeScript types of the dashboard
 * schema, with the TypeScript compiler: each dashboard becomes an object literal that must satisfy
 * `Dashboard`, with every panel's `options` and `fieldConfig.defaults.custom` held to its panel
 * plugin's `Options` / `FieldConfig` type and every target to the Prometheus or Tempo query type.
 * Excess properties (a misspelt key), wrong value types and values outside an enum are errors.
 *
 * The SDK's types are generated from Grafana's CUE schemas (kinds), so this is Grafana's schema
 * checked statically; the SDK ships no runtime validator for TypeScript.
 */
import { join } from "node:path";

import ts from "typescript";

import { GRAFANA_DIR } from "./dashboards.js";

/** Where the virtual source file "lives": inside the repository, so `@grafana/grafana-foundation-sdk` resolves. */
const VIRTUAL = join(GRAFANA_DIR, "test", "__dashboard_schema_check__.ts");

const PRELUDE = `
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import type * as tempo from "@grafana/grafana-foundation-sdk/tempo";
import type * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import type * as stat from "@grafana/grafana-foundation-sdk/stat";
import type * as table from "@grafana/grafana-foundation-sdk/table";
import type * as heatmap from "@grafana/grafana-foundation-sdk/heatmap";
import type * as bargauge from "@grafana/grafana-foundation-sdk/bargauge";
import type * as statetimeline from "@grafana/grafana-foundation-sdk/statetimeline";

type IsAny<T> = 0 extends 1 & T ? true : false;
type Method = (...args: never[]) => unknown;
/** A type as it appears in JSON: string enums become their values, methods (cog's variant markers) disappear. */
type Json<T> = IsAny<T> extends true
  ? unknown
  : T extends string
    ? \`\${T}\`
    : T extends number
      ? number
      : T extends boolean
        ? boolean
        : T extends null | undefined
          ? T
          : T extends readonly (infer U)[]
            ? Json<U>[]
            : T extends Method
              ? never
              : { [K in keyof T as T[K] extends Method ? never : K]: Json<T[K]> };

type NoCustom = Record<string, never>;
type Target = Json<prometheus.Dataquery> | Json<tempo.Dataquery>;
type Defaults<Custom> = Omit<Json<dashboard.FieldConfig>, "custom"> & { custom?: Json<Custom> };
type FieldConfigOf<Custom> = Omit<Json<dashboard.FieldConfigSource>, "defaults"> & { defaults: Defaults<Custom> };
type PanelOf<Type extends string, Options, Custom> = Omit<Json<dashboard.Panel>, "type" | "options" | "fieldConfig" | "targets"> & {
  type: Type;
  options?: Json<Options>;
  fieldConfig?: FieldConfigOf<Custom>;
  targets?: Target[];
};
type AnyPanel =
  | PanelOf<"timeseries", timeseries.Options, timeseries.FieldConfig>
  | PanelOf<"stat", stat.Options, NoCustom>
  | PanelOf<"table", table.Options, table.FieldConfig>
  | PanelOf<"heatmap", heatmap.Options, heatmap.FieldConfig>
  | PanelOf<"bargauge", bargauge.Options, NoCustom>
  | PanelOf<"state-timeline", statetimeline.Options, statetimeline.FieldConfig>;
type Row = Omit<Json<dashboard.RowPanel>, "panels"> & { panels: AnyPanel[] };
type Annotation = Omit<Json<dashboard.AnnotationQuery>, "target"> & { target?: Target };
export type CheckedDashboard = Omit<Json<dashboard.Dashboard>, "panels" | "annotations"> & {
  panels?: (AnyPanel | Row)[];
  annotations: { list?: Annotation[] };
};
type _Unused = cog.Dataquery;
`;

/** Type errors of each dashboard (by name) against the SDK's schema types; an empty list when it conforms. */
export function schemaErrors(dashboards: { name: string; json: unknown }[]): Map<string, string[]> {
  const lines = [PRELUDE];
  const starts: { name: string; line: number }[] = [];
  dashboards.forEach(({ name, json }, i) => {
    starts.push({ name, line: lines.join("\n").split("\n").length });
    lines.push(`export const d${i} = ${JSON.stringify(json, null, 1)} satisfies CheckedDashboard;`);
  });
  const source = lines.join("\n");
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ["lib.es2022.d.ts"],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) =>
    fileName === VIRTUAL ? ts.createSourceFile(fileName, source, languageVersion, true) : getSourceFile(fileName, languageVersion, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => fileName === VIRTUAL || fileExists(fileName);
  const readFile = host.readFile.bind(host);
  host.readFile = (fileName) => (fileName === VIRTUAL ? source : readFile(fileName));
  const program = ts.createProgram([VIRTUAL], options, host);
  const file = program.getSourceFile(VIRTUAL);
  if (file === undefined) throw new Error("the schema check's virtual source file was not created");
  const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
  const errors = new Map<string, string[]>(dashboards.map((d) => [d.name, []]));
  for (const d of diagnostics) {
    const line = d.start === undefined ? 0 : file.getLineAndCharacterOfPosition(d.start).line + 1;
    const owner = [...starts].reverse().find((s) => s.line <= line);
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    const at = d.start === undefined ? "" : ` at: ${source.split("\n")[line - 1]?.trim().slice(0, 200)}`;
    const list = errors.get(owner?.name ?? "(prelude)") ?? [];
    list.push(`${text}${at}`);
    errors.set(owner?.name ?? "(prelude)", list);
  }
  return errors;
}
