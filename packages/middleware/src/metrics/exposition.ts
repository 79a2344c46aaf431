/**
 * The `/metrics` body, written fast and byte for byte what prom-client 15 writes. Each metric's
 * data is read once: a stock histogram's series straight from the histogram (the sample objects
 * of its `getForPromString()` were most of prom-client's render time), anything else through
 * `getForPromString()` or `get()` as prom-client does. A series' labels are written once for all
 * of its samples (a histogram's buckets, `_sum` and `_count`), a label value is escaped only when
 * it holds something to escape, and the body comes out as pieces of about 32k characters, which
 * `metricsHandler` encodes one by one.
 *
 * Three dialects, each byte for byte what the code it stands in for gives:
 * - `openmetrics`: prom-client's `registry.metrics()` on an OpenMetrics registry (`_total` on
 *   counter samples, exemplars, `# EOF`);
 * - `prom-client-text`: the same on a registry serving the text format 0.0.4;
 * - `text`: the text format 0.0.4 from any registry as `renderPrometheusText` defines it (the
 *   registry's `getMetricsAsJSON()` written out: counters named `_total`, no exemplars). Unlike
 *   `getMetricsAsJSON()` it leaves the series alone: prom-client's writes the default labels into
 *   each counter and gauge series for good, so a default then replaces an empty value in later
 *   OpenMetrics scrapes too.
 *
 * It reads what prom-client does not document: the registry's default labels (`_defaultLabels`),
 * a histogram's `hashMap` of series (`labels`, `bucketValues`, `sum`, `count`, `bucketExemplars`)
 * and `upperBounds`, and that a histogram's `getForPromString()` is its `get()` before the series
 * labels are merged into each sample's (prom-client is pinned to 15.1.3; `exposition.test.ts`
 * compares the output with prom-client's own). A registry that is not a stock prom-client one,
 * or overrides how it renders, renders itself (see {@link renderRegistry}).
 */
import { Histogram, Registry } from "prom-client";

import type { MetricsRegistry } from "./types.js";

/** Which exposition a render writes (see the file's comment). */
export type ExpositionDialect = "openmetrics" | "prom-client-text" | "text";

/** A label set as prom-client holds it. */
type LabelSet = Record<string, unknown>;

interface Exemplar {
  labelSet: LabelSet;
  value: unknown;
  timestamp?: unknown;
}

interface Sample {
  labels?: LabelSet;
  /** A histogram's series labels, shared by its bucket, `_sum` and `_count` samples (`getForPromString()`). */
  sharedLabels?: LabelSet;
  value: unknown;
  metricName?: string;
  exemplar?: Exemplar | null;
}

interface MetricData {
  name: string;
  help: string;
  type: unknown;
  values?: Sample[];
}

interface PromMetric {
  get(): Promise<MetricData> | MetricData;
  getForPromString?(): Promise<MetricData> | MetricData;
}

/** What of a prom-client 15 registry this file reads. */
interface RegistryInternals {
  _defaultLabels?: unknown;
  getMetricsAsArray(): PromMetric[];
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Whether `text` holds a backslash, a newline or (with `quotes`) a double quote. */
function needsEscaping(text: string, quotes: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 || c === 10 || (quotes && c === 34)) return true;
  }
  return false;
}

/** A HELP text (or metric name) escaped: `\` and newline. */
export function escapeHelp(text: string): string {
  return needsEscaping(text, false) ? text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n") : text;
}

/** A label value escaped: `\`, newline and `"`. */
export function escapeLabelValue(text: string): string {
  return needsEscaping(text, true) ? text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"') : text;
}

/** A sample value as prom-client writes it (NaN as `Nan`, anything not finite as an infinity). */
function promClientValue(value: unknown): string {
  if (Number.isNaN(value)) return "Nan";
  if (!Number.isFinite(value)) return (value as number) < 0 ? "-Inf" : "+Inf";
  return String(value);
}

/** A sample value in the text format: NaN, +Inf, -Inf or the number. */
function textValue(value: unknown): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

/** `name="value"` as prom-client writes it: a string escaped, anything else as it stringifies. */
function promClientPair(name: string, value: unknown): string {
  return `${name}="${typeof value === "string" ? escapeLabelValue(value) : String(value)}"`;
}

/** `name="value"` as the text dialect writes it (the value stringified, then escaped). */
function textPair(name: string, value: unknown): string {
  return `${name}="${escapeLabelValue(String(value))}"`;
}

/** `parts` as one flat string (a template would leave a tree of concatenations to walk later). */
const flat = (...parts: string[]): string => parts.join("");

const joinParts = (a: string, b: string): string => (a === "" ? b : b === "" ? a : `${a},${b}`);

/**
 * The label text of the samples of one series, for one render. prom-client (and the text
 * dialect) write a sample's own labels (`le` of a bucket) first, then the series' labels and
 * default labels in an order that depends only on the series: that tail is computed once per
 * series (consecutive samples of a histogram share their `sharedLabels` object) and reused.
 */
class LabelWriter {
  /** The series labels the last tail was computed for (`null` before the first). */
  private lastShared: LabelSet | undefined | null = null;
  private lastTail = "";

  constructor(
    private readonly dialect: ExpositionDialect,
    /** The registry's default labels, or undefined when it has none. */
    private readonly defaults: LabelSet | undefined,
  ) {}

  /** The `{...}` of a sample, or "" when it has no labels. */
  write(sample: Sample): string {
    const labels = sample.labels ?? {};
    const shared = sample.sharedLabels;
    const body = this.dialect === "text" ? this.textBody(labels, shared) : this.promClientBody(labels, shared);
    return body === "" ? "" : `{${body}}`;
  }

  /**
   * The labels of a series with labels `shared` for a sample without labels of its own (a
   * histogram's `_sum`), which also follow the own labels of its other samples (a bucket's `le`).
   */
  seriesLabels(shared: LabelSet | undefined): string {
    return this.dialect === "text"
      ? this.tail(shared, (s) => this.textLabels({}, s))
      : this.tail(shared, (s) => this.promClientTail(s, undefined));
  }

  /** The tail for `shared`, from the last sample's when it is the same series. */
  private tail(shared: LabelSet | undefined, compute: (shared: LabelSet | undefined) => string): string {
    if (shared !== this.lastShared) {
      this.lastShared = shared;
      this.lastTail = compute(shared);
    }
    return this.lastTail;
  }

  /**
   * prom-client: the sample's labels merged with the defaults (its own values first, then the
   * defaults it lacks), leaving out those the series labels hold, then every series label.
   */
  private promClientBody(labels: LabelSet, shared: LabelSet | undefined): string {
    const defaults = this.defaults;
    let head = "";
    let overlapsDefaults = false;
    for (const name in labels) {
      if (defaults !== undefined && hasOwn(defaults, name)) overlapsDefaults = true;
      if (shared !== undefined && hasOwn(shared, name)) continue;
      head = joinParts(head, promClientPair(name, labels[name]));
    }
    // When the sample's own labels override a default, the tail depends on the sample too.
    const tail = overlapsDefaults ? this.promClientTail(shared, labels) : this.seriesLabels(shared);
    return joinParts(head, tail);
  }

  /** The defaults neither `labels` nor `shared` hold, then every label of `shared`. */
  private promClientTail(shared: LabelSet | undefined, labels: LabelSet | undefined): string {
    let tail = "";
    const defaults = this.defaults;
    if (defaults !== undefined) {
      for (const name in defaults) {
        if ((labels !== undefined && hasOwn(labels, name)) || (shared !== undefined && hasOwn(shared, name))) continue;
        tail = joinParts(tail, promClientPair(name, defaults[name]));
      }
    }
    if (shared !== undefined) for (const name in shared) tail = joinParts(tail, promClientPair(name, shared[name]));
    return tail;
  }

  /**
   * The text dialect (what `getMetricsAsJSON()` gives): the sample's labels, the series labels it
   * lacks (a series label wins over the sample's of the same name), then the defaults it lacks;
   * a default also replaces an empty (falsy) value. Undefined values are left out.
   */
  private textBody(labels: LabelSet, shared: LabelSet | undefined): string {
    const defaults = this.defaults;
    let head = "";
    let overlaps = false;
    for (const name in labels) {
      if ((shared !== undefined && hasOwn(shared, name)) || (defaults !== undefined && hasOwn(defaults, name))) {
        overlaps = true;
        break;
      }
      const value = labels[name];
      if (value !== undefined) head = joinParts(head, textPair(name, value));
    }
    return overlaps ? this.textLabels(labels, shared) : joinParts(head, this.seriesLabels(shared));
  }

  /** The text dialect's labels of a sample with labels `labels` in a series with labels `shared`, written in full. */
  private textLabels(labels: LabelSet, shared: LabelSet | undefined): string {
    const merged: LabelSet = { ...labels };
    if (shared !== undefined) for (const name in shared) merged[name] = shared[name];
    const defaults = this.defaults;
    if (defaults !== undefined) for (const name in defaults) merged[name] = merged[name] || defaults[name];
    let out = "";
    for (const name in merged) {
      const value = merged[name];
      if (value !== undefined) out = joinParts(out, textPair(name, value));
    }
    return out;
  }
}

/** The exemplar suffix prom-client writes after an OpenMetrics bucket line. */
function exemplarSuffix(exemplar: Exemplar): string {
  let labels = "";
  for (const name in exemplar.labelSet) labels = joinParts(labels, promClientPair(name, exemplar.labelSet[name]));
  return ` # {${labels}} ${promClientValue(exemplar.value)} ${String(exemplar.timestamp)}`;
}

const stripTotal = (name: string): string => (name.endsWith("_total") ? name.slice(0, -"_total".length) : name);

/**
 * Pieces of a body at most this long (plus a line), in characters. A flat string of more than
 * 128 KiB goes to V8's large-object space, which costs as much as the whole render when the body
 * is 1.6 MB: `metricsHandler` encodes the pieces one by one instead.
 */
const PIECE_CHARS = 32_768;

/** A body written as pieces of about {@link PIECE_CHARS} characters. */
class Pieces {
  private readonly done: string[] = [];
  private current = "";

  add(text: string): void {
    this.current += text;
    if (this.current.length >= PIECE_CHARS) {
      this.done.push(this.current);
      this.current = "";
    }
  }

  finish(): string[] {
    if (this.current !== "") this.done.push(this.current);
    this.current = "";
    return this.done;
  }
}

/** One metric family's lines (no trailing newline), from its data. */
function writeFamily(data: MetricData, dialect: ExpositionDialect, labels: LabelWriter, out: Pieces): void {
  const counter = data.type === "counter";
  const type = String(data.type);
  // prom-client strips `_total` off a counter's name in OpenMetrics and adds it to its samples;
  // the text dialect names the family and its samples `_total`.
  const name =
    dialect === "text"
      ? counter
        ? `${stripTotal(data.name)}_total`
        : data.name
      : escapeHelp(dialect === "openmetrics" && counter ? stripTotal(data.name) : data.name);
  out.add(`# HELP ${name} ${escapeHelp(data.help)}\n# TYPE ${name} ${type}`);
  const values = data.values ?? [];
  if (dialect === "text") {
    for (const sample of values) {
      const sampleName = counter ? name : (sample.metricName ?? name);
      out.add(`\n${sampleName}${labels.write(sample)} ${textValue(sample.value)}`);
    }
    return;
  }
  const openMetrics = dialect === "openmetrics";
  const suffix = openMetrics && counter ? "_total" : "";
  for (const sample of values) {
    const sampleName = sample.metricName === undefined ? name : String(sample.metricName);
    const exemplar = sample.exemplar;
    const line = `\n${sampleName}${suffix}${labels.write(sample)} ${promClientValue(sample.value)}`;
    out.add(openMetrics && exemplar ? line + exemplarSuffix(exemplar) : line);
  }
}

/** What of a prom-client 15 histogram {@link writeHistogram} reads. */
interface HistogramInternals {
  name: string;
  help: string;
  type: unknown;
  upperBounds: readonly number[];
  hashMap: Record<string, HistogramSeries>;
  collect?: () => unknown;
}

interface HistogramSeries {
  labels: LabelSet;
  bucketValues: Record<string, number>;
  sum: number;
  count: number;
  bucketExemplars?: Record<string, Exemplar | null>;
}

/**
 * `metric` as a histogram whose series {@link writeHistogram} can read directly, without the
 * sample objects of `getForPromString()`: a prom-client histogram whose `get` and
 * `getForPromString` are the stock ones, when no default label is named `le`.
 */
function directHistogram(metric: PromMetric, defaults: LabelSet | undefined): HistogramInternals | undefined {
  if (!(metric instanceof Histogram)) return undefined;
  const stock = Histogram.prototype as unknown as PromMetric;
  const own = metric as unknown as PromMetric;
  if (own.get !== stock.get || own.getForPromString !== stock.getForPromString) return undefined;
  const h = metric as unknown as HistogramInternals;
  if (typeof h.hashMap !== "object" || h.hashMap === null || !Array.isArray(h.upperBounds)) return undefined;
  return defaults !== undefined && hasOwn(defaults, "le") ? undefined : h;
}

/**
 * A histogram family's lines, read from its series: what {@link writeFamily} writes from its
 * `getForPromString()` (each bucket's cumulative count, `+Inf`, `_sum`, `_count`, a bucket's
 * exemplar in OpenMetrics), with the series labels written once per series.
 */
function writeHistogram(h: HistogramInternals, dialect: ExpositionDialect, labels: LabelWriter, out: Pieces): void {
  const text = dialect === "text";
  const value = text ? textValue : promClientValue;
  const pair = text ? textPair : promClientPair;
  const exemplars = dialect === "openmetrics";
  const name = text ? h.name : escapeHelp(h.name);
  const bucket = `${h.name}_bucket`;
  const bounds = h.upperBounds;
  // Each line is a flat head, the series' flat label tail and its value: three strings to join
  // when the body is encoded, not the seven a template of its parts would leave.
  const heads = bounds.map((bound) => flat("\n", bucket, "{", pair("le", bound)));
  const infHead = flat("\n", bucket, "{", pair("le", "+Inf"));
  const sumHead = flat("\n", h.name, "_sum");
  const countHead = flat("\n", h.name, "_count");
  // The property names prom-client's buckets are kept under, so no bound is turned into one per line.
  const keys = bounds.map((bound) => String(bound));
  out.add(`# HELP ${name} ${escapeHelp(h.help)}\n# TYPE ${name} ${String(h.type)}`);
  for (const series of Object.values(h.hashMap)) {
    let lines = "";
    const tail = labels.seriesLabels(series.labels);
    const close = tail === "" ? "} " : flat(",", tail, "} ");
    const own = tail === "" ? " " : flat("{", tail, "} ");
    const bucketExemplars = exemplars ? series.bucketExemplars : undefined;
    let cumulative = 0;
    for (let i = 0; i < bounds.length; i++) {
      const key = keys[i] as string;
      cumulative += series.bucketValues[key] as number;
      lines += (heads[i] as string) + close + value(cumulative);
      const exemplar = bucketExemplars?.[key];
      if (exemplar) lines += exemplarSuffix(exemplar);
    }
    lines += infHead + close + value(series.count);
    const exemplar = bucketExemplars?.["-1"];
    if (exemplar) lines += exemplarSuffix(exemplar);
    out.add(lines + sumHead + own + value(series.sum) + countHead + own + value(series.count));
  }
}

/** Whether `metric`'s `getForPromString()` is the `get()` of the text dialect, before labels are merged. */
function isPlainHistogram(metric: PromMetric): boolean {
  return metric instanceof Histogram && metric.get === Histogram.prototype.get;
}

/** Renders the metrics of a prom-client 15 `registry` in `dialect`, as pieces of the body. */
async function render(registry: RegistryInternals, dialect: ExpositionDialect): Promise<string[]> {
  const raw = registry._defaultLabels;
  const defaults = typeof raw === "object" && raw !== null && Object.keys(raw).length > 0 ? (raw as LabelSet) : undefined;
  // Every metric's data is asked for first (their `collect` may run concurrently), as prom-client does.
  type Read = { histogram: HistogramInternals } | { data: MetricData };
  const pending = registry.getMetricsAsArray().map(async (metric): Promise<Read> => {
    const histogram = directHistogram(metric, defaults);
    if (histogram !== undefined) {
      const collected = histogram.collect ? histogram.collect() : undefined;
      if (collected instanceof Promise) await collected;
      return { histogram };
    }
    const forString = dialect !== "text" || isPlainHistogram(metric) ? metric.getForPromString : undefined;
    return { data: await (typeof forString === "function" ? forString.call(metric) : metric.get()) };
  });
  const all = await Promise.all(pending);
  const labels = new LabelWriter(dialect, defaults);
  const out = new Pieces();
  for (let i = 0; i < all.length; i++) {
    if (i > 0) out.add(dialect === "openmetrics" ? "\n" : "\n\n");
    const read = all[i] as Read;
    if ("histogram" in read) writeHistogram(read.histogram, dialect, labels, out);
    else writeFamily(read.data, dialect, labels, out);
  }
  if (dialect === "openmetrics") out.add("\n# EOF\n");
  else if (dialect === "prom-client-text" || all.length > 0) out.add("\n");
  return out.finish();
}

/** Whether `registry` is a prom-client 15 `Registry` that renders and lists its metrics as shipped. */
function isStockRegistry(registry: MetricsRegistry): registry is MetricsRegistry & RegistryInternals {
  return (
    registry instanceof Registry &&
    registry.metrics === Registry.prototype.metrics &&
    registry.getMetricsAsJSON === Registry.prototype.getMetricsAsJSON &&
    registry.getMetricsAsArray === Registry.prototype.getMetricsAsArray
  );
}

/**
 * What `registry.metrics()` gives (OpenMetrics or the text format, by the registry's content
 * type), written faster, as pieces to be joined. A registry that is not a stock prom-client one
 * renders itself (one piece).
 */
export async function renderRegistry(registry: MetricsRegistry): Promise<string[]> {
  if (!isStockRegistry(registry)) return [await registry.metrics()];
  return render(registry, registry.contentType === Registry.OPENMETRICS_CONTENT_TYPE ? "openmetrics" : "prom-client-text");
}

/**
 * The text format 0.0.4 of `registry`'s `getMetricsAsJSON()` as {@link renderPrometheusText}
 * defines it, as pieces to be joined; `undefined` when the registry is not a stock prom-client
 * one (the caller then writes it from `getMetricsAsJSON()` itself).
 */
export async function renderTextDialect(registry: MetricsRegistry): Promise<string[] | undefined> {
  return isStockRegistry(registry) ? render(registry, "text") : undefined;
}
