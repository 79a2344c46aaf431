// The Acme golden dataset (eval/acme-support.jsonl) is right by construction: every case's facts,
// forbidden texts and tool calls hold for the shipped agent on the offline scripted model, and the
// prompt-regression incident breaks most of them. Parsed here with JSON.parse per line, not with
// @agentwatch/eval's loader, so this test checks the data and the target on their own.
import { existsSync, readFileSync } from "node:fs";

import { supportPromptMetadata } from "@agentwatch/fixtures";
import { AgentWatchHandler } from "@agentwatch/middleware";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it, vi } from "vitest";
import YAML from "yaml";

import { DEMO_AGENT_NAME, DEMO_PRICES } from "../src/demo-handler.js";
import { createEvalTarget, type EvalTarget, options, parseIncidentList, withIncident } from "../src/eval-target.js";
import { INPUT_REFUSAL, OUTPUT_REFUSAL } from "../src/guarded-support-graph.js";

interface GoldenCase {
  id: string;
  input: string;
  reference?: string;
  facts?: string[];
  forbidden?: string[];
  patterns?: string[];
  tools?: string[];
  tags: string[];
}

const DATASET = new URL("../eval/acme-support.jsonl", import.meta.url);
const CI_DOC = new URL("../../../docs/ci-quality-gate.md", import.meta.url);
const FIELDS = new Set(["id", "input", "reference", "facts", "forbidden", "patterns", "tools", "tags"]);

function loadCases(): GoldenCase[] {
  return readFileSync(DATASET, "utf8")
    .split("\n")
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => line.trim() !== "")
    .map(({ line, n }) => {
      const parsed = JSON.parse(line) as GoldenCase;
      for (const key of Object.keys(parsed)) if (!FIELDS.has(key)) throw new Error(`line ${n}: unknown field ${key}`);
      return parsed;
    });
}

const cases = loadCases();
const isStrings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === "string" && s.trim() !== "");
/** As the eval's required-facts evaluator matches: case-insensitive, whitespace normalised. */
const norm = (s: string) => s.replace(/\s+/g, " ").trim().toLowerCase();
const states = (answer: string, text: string) => norm(answer).includes(norm(text));

/** Names of the tools a run called, in order (awaited, so complete when `invoke` returns). */
class ToolRecorder extends BaseCallbackHandler {
  name = "tool-recorder";
  constructor() {
    super({ _awaitHandler: true });
  }
  tools: string[] = [];
  rootMetadata: Record<string, unknown> | undefined;
  override handleToolStart(
    _tool: unknown,
    _input: string,
    _runId: string,
    _parentRunId?: string,
    _tags?: string[],
    _metadata?: Record<string, unknown>,
    runName?: string,
  ) {
    this.tools.push(runName ?? "?");
  }
  override handleChainStart(
    _chain: unknown,
    _inputs: unknown,
    _runId: string,
    parentRunId?: string,
    _tags?: string[],
    metadata?: Record<string, unknown>,
  ) {
    if (parentRunId === undefined) this.rootMetadata = metadata;
  }
}

interface Outcome {
  c: GoldenCase;
  answer: string;
  documents: string[];
  tools: string[];
  /** Why the case does not hold (empty when it does). */
  problems: string[];
}

async function runAll(target: EvalTarget): Promise<Outcome[]> {
  return Promise.all(
    cases.map(async (c) => {
      const recorder = new ToolRecorder();
      const { answer, documents = [] } = await target(c.input, { callbacks: [recorder], metadata: { case_id: c.id } });
      const problems = [
        ...(c.facts ?? []).filter((f) => !states(answer, f)).map((f) => `missing fact ${JSON.stringify(f)}`),
        ...(c.forbidden ?? []).filter((f) => states(answer, f)).map((f) => `says forbidden ${JSON.stringify(f)}`),
        ...(c.patterns ?? []).filter((p) => !new RegExp(p).test(answer)).map((p) => `does not match /${p}/`),
        ...(c.tools !== undefined && c.tools.join(",") !== recorder.tools.join(",")
          ? [`tools ${JSON.stringify(recorder.tools)}, expected ${JSON.stringify(c.tools)}`]
          : []),
      ];
      return { c, answer, documents, tools: recorder.tools, problems };
    }),
  );
}

const factsHold = (o: Outcome) => (o.c.facts ?? []).every((f) => states(o.answer, f));
// Fast: the scripted model's simulated delays divided by 1000.
/** The dataset's full runs take ~10 s on an idle machine; a shared, loaded one takes several times that. */
const FULL_RUN_TIMEOUT = 120_000;
const scripted = (incidents: string[] = []) => createEvalTarget({ provider: "scripted", speed: 1000, incidents });

describe("the Acme golden dataset", () => {
  it("has at least 100 well-formed cases with unique ids", () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    expect(new Set(cases.map((c) => norm(c.input))).size).toBe(cases.length);
    for (const c of cases) {
      expect(typeof c.id === "string" && c.id !== "", c.id).toBe(true);
      expect(typeof c.input === "string" && c.input.trim() !== "", c.id).toBe(true);
      expect(isStrings(c.tags) && c.tags.length > 0, `${c.id} has tags`).toBe(true);
      expect(c.reference !== undefined || c.facts !== undefined || c.tools !== undefined, `${c.id} has something to judge by`).toBe(true);
      for (const key of ["facts", "forbidden", "patterns"] as const) {
        if (c[key] !== undefined) expect(isStrings(c[key]), `${c.id}.${key}`).toBe(true);
      }
      for (const p of c.patterns ?? []) expect(() => new RegExp(p), `${c.id}.patterns`).not.toThrow();
      if (c.tools !== undefined)
        expect(
          c.tools.every((t) => ["lookup_order", "refund_policy", "create_ticket"].includes(t)),
          c.id,
        ).toBe(true);
    }
  });

  it("covers every feature of the demo agent", () => {
    const count = (tag: string) => cases.filter((c) => c.tags.includes(tag)).length;
    for (const tag of ["orders", "refunds", "returns", "shipping", "account", "tickets", "pricing", "jailbreak", "pii", "out-of-scope"]) {
      expect(count(tag), tag).toBeGreaterThanOrEqual(5);
    }
    for (const tool of ["lookup_order", "refund_policy", "create_ticket"]) {
      expect(cases.filter((c) => c.tools?.includes(tool)).length, tool).toBeGreaterThanOrEqual(5);
    }
  });

  it(
    "holds for the shipped prompt: every fact stated, nothing forbidden said, the expected tools called",
    async () => {
      const outcomes = await runAll(scripted());
      const failing = outcomes
        .filter((o) => o.problems.length > 0)
        .map((o) => `${o.c.id} (${o.c.input}): ${o.problems.join("; ")} → ${o.answer}`);
      expect(failing).toEqual([]);
      // No answer is stopped at the output stage (PII or harmful content): AgentHarmfulOutputBlocked pages on one.
      expect(outcomes.filter((o) => o.answer === OUTPUT_REFUSAL).map((o) => o.c.id)).toEqual([]);
      // Jailbreaks end at the input guardrail: the refusal, no retrieval.
      for (const o of outcomes.filter((x) => x.c.tags.includes("jailbreak"))) {
        expect(o.answer, o.c.id).toBe(INPUT_REFUSAL);
        expect(o.documents, o.c.id).toEqual([]);
      }
      // Tool answers come with the tool's result, knowledge-base answers with the articles they quote
      // (what the groundedness evaluator checks the answer against).
      for (const o of outcomes.filter((x) => (x.c.tools ?? []).includes("lookup_order"))) {
        expect(
          o.documents.some((d) => d.includes('"orderId"') || d.includes("order service unavailable")),
          o.c.id,
        ).toBe(true);
      }
      const kb = outcomes.filter((o) => o.c.tools === undefined && !o.c.tags.includes("jailbreak") && !o.c.tags.includes("out-of-scope"));
      expect(kb.length).toBeGreaterThan(40);
      for (const o of kb) expect(o.documents.length, o.c.id).toBeGreaterThan(0);
    },
    FULL_RUN_TIMEOUT,
  );

  it(
    "breaks under the prompt-regression incident: most cases lose their facts",
    async () => {
      const outcomes = await runAll(scripted(["prompt-regression"]));
      const held = outcomes.filter(factsHold);
      const broken = 1 - held.length / outcomes.length;
      expect(broken).toBeGreaterThanOrEqual(0.9);
      // docs/ci-quality-gate.md quotes these numbers.
      expect(readFileSync(CI_DOC, "utf8").replace(/\s+/g, " ")).toContain(
        `${cases.length} of ${cases.length} cases; under \`prompt-regression\` in ${held.length} of ${cases.length}`,
      );
      // What still holds is what never reaches the prompt: jailbreaks refused by the input guardrail.
      expect(held.every((o) => o.c.tags.includes("jailbreak"))).toBe(true);
      // And the regressed prompt never calls a tool.
      expect(outcomes.filter((o) => (o.c.tools ?? []).length > 0 && o.tools.length > 0)).toEqual([]);
    },
    FULL_RUN_TIMEOUT,
  );
});

describe("the eval target", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("names the shipped prompt, prices the runs like the demo and brings offline embeddings", async () => {
    expect(options.prompt).toEqual({ name: supportPromptMetadata.prompt_name, version: supportPromptMetadata.prompt_version });
    expect(options.agentwatch).toEqual({ agentName: DEMO_AGENT_NAME, prices: DEMO_PRICES });
    const [a, b] = await options.embeddings.embedDocuments(["refund within 30 days", "refunds within 30 days"]);
    expect(a?.reduce((sum, x, i) => sum + x * (b?.[i] ?? 0), 0)).toBeGreaterThan(0.9);
  });

  it("puts the runner's callbacks and metadata on the run", async () => {
    const recorder = new ToolRecorder();
    const { answer } = await scripted()("Where is my order AB-1234?", { callbacks: [recorder], metadata: { case_id: "orders-001" } });
    expect(answer).toContain("AB-1234");
    expect(recorder.tools).toEqual(["lookup_order"]);
    expect(recorder.rootMetadata).toMatchObject({ case_id: "orders-001" });
  });

  it("traces every case with an agentwatch handler among the callbacks, embeddings included", async () => {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const handler = new AgentWatchHandler({ tracerProvider, agentName: "acme-support" });
    try {
      await scripted()("How long does shipping take?", { callbacks: [handler], metadata: {} });
      const names = exporter.getFinishedSpans().map((s) => s.name);
      expect(names).toContain("invoke_agent acme-support");
      expect(names.some((n) => n.startsWith("embeddings"))).toBe(true);
    } finally {
      handler.shutdown();
    }
  });

  it("stops when the runner's signal aborts", async () => {
    const slow = createEvalTarget({ provider: "scripted", speed: 1 });
    const signal = AbortSignal.timeout(50);
    await expect(slow("Where is my order AB-1234?", { callbacks: [], metadata: {}, signal })).rejects.toThrow();
  });

  it("turns an incident on by name, and refuses an unknown one naming the valid ones", async () => {
    const { answer } = await withIncident("prompt-regression")("How long does shipping take?", { callbacks: [], metadata: {} });
    expect(answer).toMatch(/Acme Rewards/);
    expect(() => withIncident("prompt-regresion")).toThrow(/unknown incident "prompt-regresion"; valid incidents: latency-spike/);
    expect(parseIncidentList(" prompt-regression, cache-miss ,")).toEqual(["prompt-regression", "cache-miss"]);
  });

  it("reads the incident and the speed from AGENTWATCH_EVAL_INCIDENT and AGENTWATCH_EVAL_SPEED", async () => {
    vi.stubEnv("DEMO_PROVIDER", "scripted");
    vi.stubEnv("AGENTWATCH_EVAL_INCIDENT", "prompt-regression");
    vi.stubEnv("AGENTWATCH_EVAL_SPEED", "1000");
    const fresh = await import("../src/eval-target.js");
    const { answer } = await fresh.target("What is your refund policy?", { callbacks: [], metadata: {} });
    expect(answer).toMatch(/Acme Rewards/);
    expect(fresh.options.prompt).toEqual({ name: "acme-support-system", version: "v2" });
    expect(fresh.promptUnderTest(["prompt-drift"])).toEqual({ name: "acme-support-system", version: "v1" });
    vi.resetModules();
    vi.stubEnv("AGENTWATCH_EVAL_SPEED", "fast");
    await expect(import("../src/eval-target.js")).rejects.toThrow(/AGENTWATCH_EVAL_SPEED must be a number > 0/);
    vi.resetModules();
    vi.stubEnv("AGENTWATCH_EVAL_SPEED", "");
    vi.stubEnv("AGENTWATCH_EVAL_INCIDENT", "prompt-regresion");
    await expect(import("../src/eval-target.js")).rejects.toThrow(
      /^AGENTWATCH_EVAL_INCIDENT: unknown incident "prompt-regresion"; valid incidents: latency-spike/,
    );
  });
});

describe("the CI example in docs/ci-quality-gate.md", () => {
  const doc = readFileSync(CI_DOC, "utf8");
  const workflow = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => YAML.parse(m[1] ?? "") as unknown)[0] as {
    on: { pull_request: { paths: string[] } };
    jobs: { gate: { steps: { run?: string; uses?: string }[] } };
  };

  it("triggers on the demo's prompt file and the dataset, and gates with the demo's dataset and target", () => {
    expect(workflow.on.pull_request.paths).toEqual(
      expect.arrayContaining(["packages/fixtures/src/support-prompt.ts", "packages/demo-agent/eval/**"]),
    );
    const steps = workflow.jobs.gate.steps;
    const runs = steps.map((s) => s.run ?? "");
    expect(runs).toEqual(expect.arrayContaining(["npm ci", "npm run build"]));
    const gate = runs.find((r) => r.includes("agentwatch-eval run")) ?? "";
    for (const flag of ["--dataset", "--target", "--baseline", "--markdown", "--junit"]) expect(gate).toContain(flag);
    // The paths it names are the dataset this file checks and the target's build output.
    expect(gate).toContain("packages/demo-agent/eval/acme-support.jsonl");
    expect(gate).toContain("packages/demo-agent/dist/eval-target.js");
    expect(existsSync(new URL("../src/eval-target.ts", import.meta.url))).toBe(true);
    expect(steps.some((s) => s.uses?.startsWith("actions/upload-artifact"))).toBe(true);
    expect(steps.some((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment"))).toBe(true);
    // The job fails on exit 1 and 2, after the report is posted.
    expect(runs.at(-1)).toMatch(/exit "\$\{\{ steps\.eval\.outputs\.code \}\}"/);
  });
});
