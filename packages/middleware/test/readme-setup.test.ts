import { readFileSync } from "node:fs";

import { context, type ProxyTracerProvider, trace } from "@opentelemetry/api";
import type { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it, vi } from "vitest";

import { FakeOtlpEndpoint } from "./support/otlp-endpoint.js";

const README = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
const SNIPPET = readFileSync(new URL("./readme-setup/snippet.ts", import.meta.url), "utf8");

/** The code between the markers of readme-setup/snippet.ts. */
function snippetCode(): string {
  const match = /\/\/ README:BEGIN\n([\s\S]*?)\/\/ README:END/.exec(SNIPPET);
  if (match?.[1] === undefined) throw new Error("readme-setup/snippet.ts has no README:BEGIN / README:END markers");
  return match[1];
}

describe("the README's OpenTelemetry set-up", () => {
  const endpoint = new FakeOtlpEndpoint();
  afterAll(() => endpoint.stop());

  it("comes first: right after the two commands (the README's contract), and its first code block is the type-checked snippet", () => {
    const sections = [...README.matchAll(/^## (.+)$/gm)];
    expect(sections.slice(0, 2).map((m) => m[1])).toEqual(["Two commands", "Set up OpenTelemetry"]);
    const section = README.slice(sections[1]?.index ?? 0).split(/^## /m)[1] ?? "";
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(snippetCode());
  });

  it("runs as written: the agent's spans reach the exporter and no set-up warning is printed", async () => {
    await endpoint.start();
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = endpoint.url;
    context.disable();
    trace.disable();
    const warn = vi.spyOn(console, "warn");
    try {
      await import("./readme-setup/snippet.js");
      await ((trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as BasicTracerProvider).forceFlush();
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    }
    const spans = endpoint.received.flatMap((r) => r.spans);
    expect(spans.some((name) => name.startsWith("invoke_agent"))).toBe(true);
    expect(spans.some((name) => name.startsWith("chat"))).toBe(true);
    expect(warn.mock.calls.map((args) => String(args[0])).filter((w) => w.startsWith("agentwatch:"))).toEqual([]);
    warn.mockRestore();
    await ((trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as BasicTracerProvider).shutdown();
  });
});
