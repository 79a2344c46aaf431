import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { FakeListChatModel } from "@langchain/core/utils/testing";
import { describe, expect, it } from "vitest";

import { seededRandom } from "../../src/drift/prng.js";
import { type AgentWatchHandler, type DriftOptions, MemoryStore, METRIC, type SharedStore } from "../../src/index.js";
import { handlerMaker } from "../support/handlers.js";
import { parseExposition, value } from "../support/openmetrics.js";

const make = handlerMaker();
const WINDOW = 40;
const base: DriftOptions = { windowSize: WINDOW, embeddingWindowSize: WINDOW, minSamples: 20, intervalMs: 3_600_000, permutations: 100 };

function words(n: number): string {
  return Array.from({ length: n }, (_, i) => `w${i}`).join(" ");
}

/** `count` answers of about `length` words (±30 %), each through the handler. */
async function answer(handler: AgentWatchHandler, count: number, length: number, seed: number): Promise<void> {
  const r = seededRandom(seed);
  const responses = Array.from({ length: count }, () => words(Math.round(length * (0.7 + 0.6 * r()))));
  const model = new FakeListChatModel({ responses });
  for (let i = 0; i < count; i++) await model.invoke("question", { callbacks: [handler] });
}

/** An embeddings object whose query vectors sit around `centre` on the first axis. */
function embeddings(centre: number, seed: number) {
  const r = seededRandom(seed);
  return {
    embedQuery: (_q: string) => Promise.resolve(Array.from({ length: 8 }, (_, d) => (d === 0 ? centre : 0) + (r() - 0.5))),
    embedDocuments: (docs: string[]) => Promise.resolve(docs.map(() => [1, 0, 0, 0, 0, 0, 0, 0])),
  };
}

async function query(handler: AgentWatchHandler, count: number, centre: number, seed: number): Promise<void> {
  const e = handler.instrumentEmbeddings(embeddings(centre, seed));
  for (let i = 0; i < count; i++) await e.embedQuery(`q${i}`);
}

async function scrape(handler: AgentWatchHandler) {
  return parseExposition(await handler.registry.metrics());
}

function result(handler: AgentWatchHandler, signal: string) {
  return handler.driftResults().find((r) => r.signal === signal);
}

describe("drift through the handler", () => {
  it("learns the first full window as reference, then scores a shifted window on /metrics", async () => {
    const { handler } = make({ agentName: "support", drift: base });
    await answer(handler, WINDOW, 20, 1);
    await query(handler, WINDOW, 0, 2);
    await handler.driftCheck(); // adopts the references
    expect(handler.driftResults()).toEqual([]);
    await answer(handler, WINDOW, 20, 3);
    await query(handler, WINDOW, 0, 4);
    await handler.driftCheck();
    expect(result(handler, "answer_length")?.pValue).toBeGreaterThan(0.01);
    expect(result(handler, "query_embedding")?.pValue).toBeGreaterThan(0.01);
    await answer(handler, WINDOW, 80, 5);
    await query(handler, WINDOW, 1.5, 6);
    await handler.driftCheck();
    const expo = await scrape(handler);
    expect(value(expo, METRIC.driftPValue, { agent: "support", signal: "answer_length" })).toBeLessThan(0.001);
    expect(value(expo, METRIC.driftScore, { agent: "support", signal: "answer_length" })).toBeGreaterThan(0.8);
    expect(value(expo, METRIC.driftPValue, { agent: "support", signal: "output_tokens" })).toBeLessThan(0.001);
    expect(value(expo, METRIC.driftPValue, { agent: "support", signal: "query_embedding" })).toBeLessThan(0.02);
    expect(value(expo, METRIC.driftScore, { agent: "support", signal: "query_embedding" })).toBeGreaterThan(0.1);
    expect(value(expo, METRIC.driftWindowSize, { agent: "support", signal: "answer_length", window: "reference" })).toBe(WINDOW);
    expect(value(expo, METRIC.driftScore, { agent: "support", signal: "refusal" })).toBe(0);
  });

  it("keeps the reference across a restart through the same store", async () => {
    const store = new MemoryStore();
    const first = make({ agentName: "support", drift: { ...base, store } }).handler;
    await answer(first, WINDOW, 20, 1);
    await first.driftCheck();
    first.shutdown();
    // A new process: no window of its own yet, but the reference comes back from the store, so a
    // shifted window is scored at once instead of becoming the new reference.
    const second = make({ agentName: "support", drift: { ...base, store } }).handler;
    await answer(second, WINDOW, 80, 2);
    await second.driftCheck();
    expect(result(second, "answer_length")?.pValue).toBeLessThan(0.001);
    // Without the store the shifted window would just become the reference.
    const fresh = make({ agentName: "support", drift: base }).handler;
    await answer(fresh, WINDOW, 80, 2);
    await fresh.driftCheck();
    expect(result(fresh, "answer_length")).toBeUndefined();
  });

  it("keeps the reference across a restart through a committed baseline file", async () => {
    const first = make({ agentName: "support", drift: base }).handler;
    await answer(first, WINDOW, 20, 1);
    await first.driftCheck();
    const file = join(mkdtempSync(join(tmpdir(), "drift-")), "baseline.json");
    writeFileSync(file, JSON.stringify(first.driftBaseline()));
    const second = make({ agentName: "support", drift: { ...base, baseline: file } }).handler;
    await answer(second, WINDOW, 80, 2);
    await second.driftCheck();
    expect(result(second, "answer_length")?.pValue).toBeLessThan(0.001);
  });

  it("never lets a failing or hanging store reach the run, and counts it", async () => {
    const failing = new MemoryStore() as SharedStore;
    failing.getJson = () => Promise.reject(new Error("redis down"));
    failing.setJson = () => new Promise(() => {}); // hangs forever
    const { handler } = make({ agentName: "support", drift: { ...base, store: failing, storeTimeoutMs: 20 } });
    await answer(handler, WINDOW, 20, 1);
    await expect(handler.driftCheck()).resolves.toBeUndefined();
    const expo = await scrape(handler);
    expect(value(expo, METRIC.handlerErrors, { callback: "drift_store" })).toBeGreaterThan(0);
    // The reference is still used in process.
    await answer(handler, WINDOW, 80, 2);
    await handler.driftCheck();
    expect(result(handler, "answer_length")?.pValue).toBeLessThan(0.001);
  });

  it("keeps memory bounded: windows hold at most windowSize observations", async () => {
    const { handler } = make({ agentName: "support", drift: { ...base, minSamples: 5, windowSize: 10, embeddingWindowSize: 10 } });
    await query(handler, 500, 0, 1);
    await handler.driftCheck();
    await query(handler, 500, 0, 2);
    await handler.driftCheck();
    expect(result(handler, "query_embedding")?.currentSize).toBe(10);
    expect(result(handler, "query_embedding")?.referenceSize).toBe(10);
  });

  it("serves no drift series without the option", async () => {
    const { handler } = make({ agentName: "support" });
    await answer(handler, 5, 20, 1);
    await handler.driftCheck();
    expect(await handler.registry.metrics()).not.toContain(METRIC.driftScore);
  });

  it("rejects bad drift options naming the field", () => {
    expect(() => make({ drift: { windowSize: 0 } })).toThrow(/option "drift.windowSize" must be a positive integer/);
    expect(() => make({ drift: { embeddingSampleRate: 2 } })).toThrow(/option "drift.embeddingSampleRate"/);
    expect(() => make({ drift: { windowSize: 10, minSamples: 20 } })).toThrow(/option "drift.minSamples"/);
    expect(() => make({ drift: { windw: 1 } as DriftOptions })).toThrow(/option "drift.windw" is not a drift option/);
    expect(() => make({ drift: { baseline: "/nonexistent/baseline.json" } })).toThrow(/option "drift.baseline" could not be read/);
    expect(() => make({ drift: { store: {} as SharedStore } })).toThrow(/option "drift.store" is not a SharedStore/);
  });
});
