import { Counter, Gauge, Histogram, type Metric, Registry } from "prom-client";

import { CounterWrites, HistogramWrites } from "./series-writes.js";
import type { MetricsRegistry } from "./types.js";

/** A metric's name, help text and label names. */
export interface InstrumentSpec {
  name: string;
  help: string;
  labelNames?: readonly string[];
}

/** A histogram's spec: its bucket upper bounds too. */
export interface HistogramSpec extends InstrumentSpec {
  buckets: readonly number[];
}

/** Writes one owner's part of a shared gauge when the registry is scraped. */
export type GaugePart = (gauge: Gauge) => void;

/**
 * A gauge that several owners (handlers, span processors) on one registry share: each scrape
 * starts it from nothing and every owner's part writes its share. The parts live on the gauge, so
 * they go with the registry.
 */
class SharedGauge extends Gauge {
  readonly parts = new Set<GaugePart>();

  override async get(): ReturnType<Gauge["get"]> {
    this.reset();
    for (const part of this.parts) part(this);
    return super.get();
  }
}

/**
 * Finds or registers instruments in one registry. Several owners may share a registry: an
 * instrument registered by one is reused by the next (with its own buckets), and what an owner
 * adds to a shared gauge it takes out again in {@link close}.
 */
export class Instruments {
  /** Whether the registry serves OpenMetrics, the format that carries exemplars. */
  readonly openMetrics: boolean;
  /** Undoes what this owner added to shared gauges, in {@link close}. */
  private readonly closers: (() => void)[] = [];

  constructor(private readonly registry: MetricsRegistry) {
    this.openMetrics = registry.contentType === Registry.OPENMETRICS_CONTENT_TYPE;
  }

  histogram(spec: HistogramSpec): Histogram {
    return this.existing<Histogram>(spec.name) ?? this.newHistogram(spec, false);
  }

  /** A histogram whose observations may carry trace exemplars (when the registry serves OpenMetrics). */
  exemplarHistogram(spec: HistogramSpec): HistogramWrites {
    return new HistogramWrites(this.existing<Histogram>(spec.name) ?? this.newHistogram(spec, this.openMetrics), spec.buckets);
  }

  /** A histogram written on the hot path (see series-writes.ts). */
  histogramWrites(spec: HistogramSpec): HistogramWrites {
    return new HistogramWrites(this.histogram(spec), spec.buckets);
  }

  /** A counter written on the hot path (see series-writes.ts). */
  counterWrites(spec: InstrumentSpec): CounterWrites {
    return new CounterWrites(this.counter(spec));
  }

  counter(spec: InstrumentSpec): Counter {
    return (
      this.existing<Counter>(spec.name) ??
      new Counter({ name: spec.name, help: spec.help, labelNames: [...(spec.labelNames ?? [])], registers: [this.registry] })
    );
  }

  gauge(spec: InstrumentSpec): Gauge {
    return (
      this.existing<Gauge>(spec.name) ??
      new Gauge({ name: spec.name, help: spec.help, labelNames: [...(spec.labelNames ?? [])], registers: [this.registry] })
    );
  }

  /** Adds `part` to the shared gauge of `spec` (registering the gauge on first use) until {@link close}. */
  sharedGauge(spec: InstrumentSpec, part: GaugePart): void {
    const existing = this.existing<Gauge>(spec.name);
    const gauge =
      existing ??
      new SharedGauge({ name: spec.name, help: spec.help, labelNames: [...(spec.labelNames ?? [])], registers: [this.registry] });
    // A gauge of that name registered by someone else has no parts: leave it alone.
    if (!(gauge instanceof SharedGauge)) return;
    gauge.parts.add(part);
    this.closers.push(() => gauge.parts.delete(part));
  }

  /** A shared gauge without labels that reports the sum of `read()` over its owners. */
  summedGauge(spec: Omit<InstrumentSpec, "labelNames">, read: () => number): void {
    this.sharedGauge(spec, (gauge) => gauge.inc(read()));
  }

  /** Takes this owner's parts out of the shared gauges; the instruments and their series stay. Idempotent. */
  close(): void {
    for (const undo of this.closers.splice(0)) undo();
  }

  private existing<T extends Metric>(name: string): T | undefined {
    return this.registry.getSingleMetric(name) as T | undefined;
  }

  private newHistogram(spec: HistogramSpec, exemplars: boolean): Histogram {
    return new Histogram({
      name: spec.name,
      help: spec.help,
      labelNames: [...(spec.labelNames ?? [])],
      buckets: [...spec.buckets],
      registers: [this.registry],
      enableExemplars: exemplars,
    });
  }
}
