import { RunnableLambda } from "@langchain/core/runnables";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

/**
 * Each case imports agentwatch afresh (vi.resetModules), so its once-per-process warnings start
 * unsaid, and sets up OpenTelemetry's globals its own way.
 */
async function runTwice(setUp: { tracerProvider: "global" | "option" | "none"; contextManager: boolean }): Promise<string[]> {
  vi.resetModules();
  const { AgentWatchHandler } = await import("../src/index.js");
  if (setUp.contextManager) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // Not support/otel's memoryTracing: it installs a context manager.
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
  if (setUp.tracerProvider === "global") trace.setGlobalTracerProvider(provider);
  const warnings: string[] = [];
  const warn = vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(" ")));
  try {
    const chain = RunnableLambda.from(async (x: string) => `${x}!`).withConfig({ runName: "agent" });
    for (let i = 0; i < 2; i++) {
      const handler = new AgentWatchHandler(setUp.tracerProvider === "option" ? { tracerProvider: provider } : {});
      await chain.invoke("hi", { callbacks: [handler] });
      await chain.invoke("hi again", { callbacks: [handler] });
      handler.shutdown();
    }
  } finally {
    warn.mockRestore();
  }
  return warnings.filter((w) => w.startsWith("agentwatch:"));
}

describe("set-up warnings", () => {
  beforeEach(() => {
    context.disable();
    trace.disable();
  });
  afterEach(() => {
    context.disable();
    trace.disable();
  });

  it("without a tracer provider or a context manager: each said once on the console, naming the fix", async () => {
    const warnings = await runTwice({ tracerProvider: "none", contextManager: false });
    expect(warnings).toHaveLength(2);
    expect(warnings.filter((w) => w.includes("no OpenTelemetry tracer provider is registered"))).toHaveLength(1);
    expect(warnings.find((w) => w.includes("tracer provider"))).toMatch(
      /traces of your agent runs go nowhere.*Fix:.*setGlobalTracerProvider.*tracerProvider/,
    );
    expect(warnings.filter((w) => w.includes("no AsyncLocalStorageContextManager is registered"))).toHaveLength(1);
    expect(warnings.find((w) => w.includes("AsyncLocalStorageContextManager"))).toMatch(
      /traces of their own\. Fix: .*context\.setGlobalContextManager\(new AsyncLocalStorageContextManager\(\)\.enable\(\)\)/,
    );
  });

  it("with a tracer provider but no context manager: only the context manager, once", async () => {
    const warnings = await runTwice({ tracerProvider: "global", contextManager: false });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("no AsyncLocalStorageContextManager is registered");
  });

  it("with a context manager but no tracer provider: only the tracer provider, once", async () => {
    const warnings = await runTwice({ tracerProvider: "none", contextManager: true });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("no OpenTelemetry tracer provider is registered");
  });

  it("set up right (global provider, or one passed as an option, and the context manager): says nothing", async () => {
    expect(await runTwice({ tracerProvider: "global", contextManager: true })).toEqual([]);
    expect(await runTwice({ tracerProvider: "option", contextManager: true })).toEqual([]);
  });
});
