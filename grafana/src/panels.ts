/**
 * Small, opinionated helpers over the Grafana Foundation SDK's builders: every panel gets a title,
 * a description, a unit, an explicit datasource and refIds, so the generated JSON reads the same in
 * Grafana's editor and in a diff.
 */
import * as bargauge from "@grafana/grafana-foundation-sdk/bargauge";
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as heatmap from "@grafana/grafana-foundation-sdk/heatmap";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as statetimeline from "@grafana/grafana-foundation-sdk/statetimeline";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as tempo from "@grafana/grafana-foundation-sdk/tempo";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";

import { DASHBOARD_UID, type DashboardKey, DATASOURCE, TAG } from "./stack.js";

/** Prometheus panels query the datasource the `datasource` variable picks (default: the provisioned one). */
export const PROMETHEUS = { type: "prometheus", uid: "${datasource}" } as const;

/** A plain value as the SDK's builder interface. */
export const built = <T>(value: T): cog.Builder<T> => ({ build: () => value });

/** One PromQL target. */
export interface Query {
  expr: string;
  /** Legend, e.g. "{{gen_ai_agent_name}} p95". */
  legend?: string;
  /** Ask for exemplars (latency histograms: each links to its trace in Tempo). */
  exemplar?: boolean;
  /** Instant query (stats, tables) instead of a range query. */
  instant?: boolean;
  format?: prometheus.PromQueryFormat;
}

/** What every panel has. */
export interface PanelSpec {
  title: string;
  /** What the panel answers and how to read it: shown as the panel's (i) tooltip. */
  description: string;
  /** A Grafana unit id ("s", "percentunit", "currencyUSD", "reqps", "suffix: tok/s", ...). */
  unit: string;
  queries: Query[];
  /** Grid width (of 24) and height. */
  w?: number;
  h?: number;
  decimals?: number;
  min?: number;
  max?: number;
  /** Threshold steps above the base color, ascending. */
  thresholds?: { value: number; color: string }[];
  /** Base color of the thresholds (default green). */
  baseColor?: string;
  /** Links in the panel header (e.g. to another dashboard). */
  links?: { title: string; url: string }[];
}

/** A built panel builder that can still take an id (every panel builder of the SDK). */
export type AnyPanelBuilder = cog.Builder<dashboard.Panel> & { id(id: number): unknown };

const REF_IDS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function promTarget(q: Query, index: number): prometheus.DataqueryBuilder {
  const target = new prometheus.DataqueryBuilder()
    .refId(REF_IDS[index] ?? `Q${index}`)
    .datasource(PROMETHEUS)
    .editorMode(prometheus.QueryEditorMode.Code)
    .expr(q.expr);
  if (q.instant === true) target.instant();
  else target.range();
  if (q.legend !== undefined) target.legendFormat(q.legend);
  if (q.exemplar === true) target.exemplar(true);
  if (q.format !== undefined) target.format(q.format);
  return target;
}

function thresholds(spec: PanelSpec): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ value: null, color: spec.baseColor ?? "green" }, ...(spec.thresholds ?? [])]);
}

/** Applies what every panel kind shares (the SDK's panel builders have the same methods for these). */
function base<
  B extends {
    title(t: string): B;
    description(d: string): B;
    unit(u: string): B;
    datasource(d: common.DataSourceRef): B;
    span(w: number): B;
    height(h: number): B;
    decimals(d: number): B;
    min(m: number): B;
    max(m: number): B;
    thresholds(t: cog.Builder<dashboard.ThresholdsConfig>): B;
    links(l: cog.Builder<dashboard.DashboardLink>[]): B;
    withTarget(t: cog.Builder<cog.Dataquery>): B;
  },
>(builder: B, spec: PanelSpec, defaults: { w: number; h: number }): B {
  builder
    .title(spec.title)
    .description(spec.description)
    .unit(spec.unit)
    .datasource(PROMETHEUS)
    .span(spec.w ?? defaults.w)
    .height(spec.h ?? defaults.h)
    .thresholds(thresholds(spec));
  if (spec.decimals !== undefined) builder.decimals(spec.decimals);
  if (spec.min !== undefined) builder.min(spec.min);
  if (spec.max !== undefined) builder.max(spec.max);
  if (spec.links !== undefined) {
    builder.links(spec.links.map((l) => new dashboard.DashboardLinkBuilder(l.title).type(dashboard.DashboardLinkType.Link).url(l.url)));
  }
  spec.queries.forEach((q, i) => builder.withTarget(promTarget(q, i)));
  return builder;
}

const LEGEND_LIST = built<common.VizLegendOptions>({
  displayMode: common.LegendDisplayMode.List,
  placement: common.LegendPlacement.Bottom,
  showLegend: true,
  calcs: [],
});

const LEGEND_TABLE = built<common.VizLegendOptions>({
  displayMode: common.LegendDisplayMode.Table,
  placement: common.LegendPlacement.Bottom,
  showLegend: true,
  calcs: ["mean", "max", "lastNotNull"],
});

/** A time series. `stack` stacks the series (rates that add up); `thresholdLines` draws the thresholds as dashed lines. */
export function timeSeries(
  spec: PanelSpec & { stack?: boolean; thresholdLines?: boolean; legendTable?: boolean; bars?: boolean },
): timeseries.PanelBuilder {
  const panel = base(new timeseries.PanelBuilder(), spec, { w: 12, h: 8 })
    .legend(spec.legendTable === true ? LEGEND_TABLE : LEGEND_LIST)
    .tooltip(built<common.VizTooltipOptions>({ mode: common.TooltipDisplayMode.Multi, sort: common.SortOrder.Descending }))
    .lineWidth(1)
    .fillOpacity(spec.stack === true ? 25 : 10)
    .showPoints(common.VisibilityMode.Never)
    .spanNulls(false);
  if (spec.bars === true) panel.drawStyle(common.GraphDrawStyle.Bars).fillOpacity(60);
  if (spec.stack === true) panel.stacking(built<common.StackingConfig>({ mode: common.StackingMode.Normal, group: "A" }));
  if (spec.thresholdLines === true) {
    panel.thresholdsStyle(built<common.GraphThresholdsStyleConfig>({ mode: common.GraphThresholdsStyleMode.Dashed }));
  }
  return panel;
}

/** A single number (the last value of each series, or of an instant query). */
export function singleStat(spec: PanelSpec & { graph?: boolean; background?: boolean }): stat.PanelBuilder {
  return base(new stat.PanelBuilder(), spec, { w: 4, h: 4 })
    .graphMode(spec.graph === true ? common.BigValueGraphMode.Area : common.BigValueGraphMode.None)
    .colorMode(spec.background === true ? common.BigValueColorMode.Background : common.BigValueColorMode.Value)
    .textMode(common.BigValueTextMode.Auto)
    .reduceOptions(built<common.ReduceDataOptions>({ calcs: ["lastNotNull"], fields: "", values: false }));
}

/**
 * A heatmap of a Prometheus histogram: the query is `sum by (le) (rate(x_bucket[...]))`, format
 * heatmap, one row per bucket (`le`), with exemplars when asked for. `spec.unit` is the unit of the
 * buckets (y axis); cells are counts per second.
 */
export function histogramHeatmap(spec: PanelSpec): heatmap.PanelBuilder {
  const queries = spec.queries.map((q) => ({ ...q, format: prometheus.PromQueryFormat.Heatmap, legend: q.legend ?? "{{le}}" }));
  return base(new heatmap.PanelBuilder(), { ...spec, unit: "reqps", queries }, { w: 12, h: 8 })
    .calculate(false)
    .rowsFrame(built<heatmap.RowsHeatmapOptions>({ layout: common.HeatmapCellLayout.Le }))
    .yAxis(built<heatmap.YAxisConfig>({ unit: spec.unit, axisPlacement: common.AxisPlacement.Left, reverse: false }))
    .showValue(common.VisibilityMode.Never)
    .cellGap(1)
    .color(
      built<heatmap.HeatmapColorOptions>({
        mode: heatmap.HeatmapColorMode.Scheme,
        scheme: "Spectral",
        fill: "dark-orange",
        exponent: 0.5,
        steps: 64,
        reverse: false,
      }),
    )
    .tooltip(built<heatmap.HeatmapTooltip>({ mode: common.TooltipDisplayMode.Single, yHistogram: true, showColorScale: false }))
    .exemplarsColor("rgba(255,0,255,0.7)");
}

/**
 * A table of instant query results: one row per series, label columns, the value column named
 * `valueName` (several queries are merged on their labels, each value column named by its legend).
 */
export function instantTable(spec: PanelSpec & { valueName?: string; hide?: string[]; sortBy?: string }): table.PanelBuilder {
  const queries = spec.queries.map((q) => ({ ...q, instant: true, format: prometheus.PromQueryFormat.Table }));
  const rename: Record<string, string> = {};
  if (queries.length === 1) rename.Value = spec.valueName ?? "Value";
  else queries.forEach((q, i) => (rename[`Value #${REF_IDS[i] ?? ""}`] = q.legend ?? `Value #${REF_IDS[i] ?? ""}`));
  const panel = base(new table.PanelBuilder(), { ...spec, queries }, { w: 12, h: 8 })
    .cellHeight(common.TableCellHeight.Sm)
    .showHeader(true);
  if (queries.length > 1) panel.withTransformation({ id: "merge", options: {} });
  panel.withTransformation({
    id: "organize",
    options: { excludeByName: Object.fromEntries(["Time", ...(spec.hide ?? [])].map((k) => [k, true])), renameByName: rename },
  });
  if (spec.sortBy !== undefined) panel.sortBy([built<common.TableSortByFieldState>({ displayName: spec.sortBy, desc: true })]);
  return panel;
}

/** Horizontal bars, one per series (the last value). */
export function barGauge(spec: PanelSpec): bargauge.PanelBuilder {
  return base(new bargauge.PanelBuilder(), spec, { w: 12, h: 8 })
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .orientation(common.VizOrientation.Horizontal)
    .valueMode(common.BarGaugeValueMode.Color)
    .showUnfilled(true)
    .reduceOptions(built<common.ReduceDataOptions>({ calcs: ["lastNotNull"], fields: "", values: false }));
}

/** When each series existed (e.g. which prompt versions were live), one lane per series. */
export function stateTimeline(spec: PanelSpec & { states: Record<string, { text: string; color: string }> }): statetimeline.PanelBuilder {
  const options: Record<string, dashboard.ValueMappingResult> = {};
  Object.entries(spec.states).forEach(([value, state], index) => (options[value] = { ...state, index }));
  return base(new statetimeline.PanelBuilder(), { ...spec, baseColor: spec.baseColor ?? "blue" }, { w: 24, h: 8 })
    .mappings([{ type: dashboard.MappingType.ValueToText, options }])
    .showValue(common.VisibilityMode.Never)
    .mergeValues(true)
    .rowHeight(0.8)
    .fillOpacity(70)
    .legend(
      built<common.VizLegendOptions>({
        displayMode: common.LegendDisplayMode.Hidden,
        placement: common.LegendPlacement.Bottom,
        showLegend: false,
        calcs: [],
      }),
    );
}

/** A Tempo trace search (TraceQL), listed as a table of traces: a click opens the trace. */
export function traceSearch(spec: {
  title: string;
  description: string;
  traceql: string;
  limit?: number;
  w?: number;
  h?: number;
}): table.PanelBuilder {
  return new table.PanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE.tempo)
    .unit("ms")
    .span(spec.w ?? 12)
    .height(spec.h ?? 8)
    .withTarget(
      new tempo.DataqueryBuilder()
        .refId("A")
        .datasource(DATASOURCE.tempo)
        .queryType(tempo.TempoQueryType.Traceql)
        .query(spec.traceql)
        .limit(spec.limit ?? 20)
        .spss(3)
        .tableType(tempo.SearchTableType.Traces),
    );
}

/** A dashboard under construction: panels and rows get ids 1, 2, 3 ... in order. */
export class Board {
  readonly builder: dashboard.DashboardBuilder;
  private nextId = 1;

  constructor(key: DashboardKey, title: string, description: string, tags: string[]) {
    this.builder = new dashboard.DashboardBuilder(title)
      .uid(DASHBOARD_UID[key])
      .description(description)
      .tags([TAG, ...tags])
      .editable()
      .tooltip(dashboard.DashboardCursorSync.Crosshair)
      .time({ from: "now-1h", to: "now" })
      .refresh("30s")
      .timezone("browser");
  }

  row(title: string): this {
    this.builder.withRow(new dashboard.RowBuilder(title).id(this.nextId++));
    return this;
  }

  add(...panels: AnyPanelBuilder[]): this {
    for (const panel of panels) {
      panel.id(this.nextId++);
      this.builder.withPanel(panel);
    }
    return this;
  }
}
