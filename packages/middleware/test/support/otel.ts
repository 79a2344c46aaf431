import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";

let contextManagerInstalled = false;

/** Registers the AsyncLocalStorage context manager once per test process, as an OTel Node SDK would. */
export function installContextManager(): void {
  if (contextManagerInstalled) return;
  const manager = new AsyncLocalStorageContextManager();
  manager.enable();
  context.setGlobalContextManager(manager);
  contextManagerInstalled = true;
}

/** A private tracer provider whose finished spans land in memory. */
export function memoryTracing(): { provider: BasicTracerProvider; exporter: InMemorySpanExporter } {
  installContextManager();
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { provider, exporter };
}

export const spanId = (s: ReadableSpan): string => s.spanContext().spanId;
export const traceId = (s: ReadableSpan): string => s.spanContext().traceId;
export const parentId = (s: ReadableSpan): string | undefined => s.parentSpanContext?.spanId;
export const startMs = (s: ReadableSpan): number => s.startTime[0] * 1000 + s.startTime[1] / 1e6;
export const endMs = (s: ReadableSpan): number => s.endTime[0] * 1000 + s.endTime[1] / 1e6;
export const durationMs = (s: ReadableSpan): number => s.duration[0] * 1000 + s.duration[1] / 1e6;

/** The span tree under `rootSpan` as indented names, children in start order. */
export function tree(spans: readonly ReadableSpan[], rootSpan: ReadableSpan): string {
  const children = new Map<string, ReadableSpan[]>();
  for (const s of spans) {
    const p = parentId(s);
    if (p === undefined) continue;
    const list = children.get(p) ?? [];
    list.push(s);
    children.set(p, list);
  }
  const lines: string[] = [];
  const walk = (s: ReadableSpan, depth: number) => {
    lines.push(`${"  ".repeat(depth)}${s.name}`);
    for (const c of (children.get(spanId(s)) ?? []).sort((a, b) => startMs(a) - startMs(b))) walk(c, depth + 1);
  };
  walk(rootSpan, 0);
  return lines.join("\n");
}

/** The one span named `name`; throws if there is not exactly one. */
export function only(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`expected one span "${name}", found ${found.length}: ${spans.map((s) => s.name).join(", ")}`);
  return found[0] as ReadableSpan;
}
