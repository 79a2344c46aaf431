/**
 * `npm run bench`: agentwatch's overhead against no handler, a no-op handler and the tracers users
 * compare it with, measured side by side in one process, interleaved, after warm-up, beside the
 * floor of bare OTel spans (`span-floor.ts`); plus the handler's own cost per run
 * (`handler-cost.ts`), `/metrics` render time (`metrics-render.ts`), the drift monitor's MMD test per evaluation
 * (`drift-cost.ts`), and heap growth over many invocations; first of all, the cold start of
 * guardrails and token estimates in a fresh process (`cold-start.ts`). The overhead section also
 * runs agentwatch with every feature on (on the graph with guardrail nodes, against a no-op handler
 * on that graph); `features` prices each feature alone against default agentwatch; `alloc` counts
 * bytes allocated and GCs per invoke (`alloc.ts`); `profile` says where agentwatch's time goes, from
 * CPU profiles of its batches beside the no-op handler's and the span floor's (`overhead-profile.ts`).
 * Options: --rounds N (default 9), --per-round N (default 100), --heap 10000,100000, --quick,
 * --only SECTION (one of cold-start, overhead, features, alloc, profile, handler, metrics, drift, heap).
 */
import os from "node:os";

import { DEMO_DRIFT } from "@agentwatch/demo-agent";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";

import { benchAgent } from "./agent.js";
import { allocateArrays, type AllocStats, measureAllocation } from "./alloc.js";
import { coldStart } from "./cold-start.js";
import { driftCost } from "./drift-cost.js";
import { handlerCostPerRun } from "./handler-cost.js";
import { eventLoopTurn, interleavedSamples, timedBatch } from "./interleave.js";
import { metricsRender } from "./metrics-render.js";
import { profileReport, profileVariants } from "./overhead-profile.js";
import { heapAfterGc, median } from "./stats.js";
import { featureVariants, RunCounter, SPAN_FLOOR, type Variant, variants } from "./variants.js";

const SECTIONS = ["cold-start", "overhead", "features", "alloc", "profile", "handler", "metrics", "drift", "heap"] as const;
type Section = (typeof SECTIONS)[number];

interface Args {
  rounds: number;
  perRound: number;
  heap: number[];
  /** Run only this section (default all). */
  only?: Section;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { rounds: 9, perRound: 100, heap: [10_000, 100_000] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const int = (name: string) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} needs a positive integer, got ${JSON.stringify(value)}`);
      i++;
      return n;
    };
    if (flag === "--rounds") args.rounds = int("--rounds");
    else if (flag === "--per-round") args.perRound = int("--per-round");
    else if (flag === "--heap") {
      args.heap = (value ?? "").split(",").map(Number);
      if (
        args.heap.length !== 2 ||
        !args.heap.every((n) => Number.isInteger(n) && n > 0) ||
        (args.heap[0] as number) >= (args.heap[1] as number)
      ) {
        throw new Error("--heap needs two increasing invocation counts, e.g. --heap 10000,100000");
      }
      i++;
    } else if (flag === "--only") {
      const section = SECTIONS.find((s) => s === value);
      if (section === undefined) throw new Error(`--only needs one of ${SECTIONS.join(", ")}, got ${JSON.stringify(value)}`);
      args.only = section;
      i++;
    } else if (flag === "--quick") Object.assign(args, { rounds: 5, perRound: 40, heap: [2_000, 10_000] });
    else throw new Error(`unknown flag ${JSON.stringify(flag)}; use --rounds N, --per-round N, --heap A,B, --quick or --only SECTION`);
  }
  return args;
}

// As in any application using OpenTelemetry (the Node SDK and NodeTracerProvider#register do
// this): an AsyncLocalStorage context manager, so spans can be active across awaits.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const agent = benchAgent();
const guardedAgent = benchAgent({ guardrails: true });
const agentOf = (variant: Variant) => (variant.guarded === true ? guardedAgent : agent);

async function batch(variant: Variant, n: number, concurrency: number): Promise<number> {
  variant.enter?.();
  const graph = agentOf(variant);
  try {
    return await timedBatch(() => graph.invoke(variant.callbacks()), n, concurrency);
  } finally {
    variant.leave?.();
  }
}

/** LangChain runs (chains, models, tools, retrievers) one invoke of the plain or the guardrail graph starts. */
async function runsPerInvoke(guarded: boolean): Promise<number> {
  const counter = new RunCounter();
  await (guarded ? guardedAgent : agent).invoke([counter]);
  return counter.runs;
}

/** Allocation and GCs of `n` sequential invokes of `variant` (after a warm-up), the span exports after them included. */
async function allocation(variant: Variant, n: number): Promise<AllocStats> {
  await batch(variant, 20, 1);
  await new Promise((r) => setTimeout(r, 300));
  return measureAllocation(async () => {
    await batch(variant, n, 1);
    await new Promise((r) => setTimeout(r, 300)); // the batch span processor exports what the batch queued
  });
}

async function heapGrowth(handlerVariant: Variant, marks: number[]): Promise<number[]> {
  const heaps: number[] = [];
  let done = 0;
  for (const mark of marks) {
    while (done < mark) {
      const n = Math.min(100, mark - done);
      await Promise.all(Array.from({ length: n }, () => agent.invoke(handlerVariant.callbacks())));
      await eventLoopTurn();
      done += n;
    }
    await new Promise((r) => setTimeout(r, 300)); // let the batch processor drain
    heaps.push(heapAfterGc());
  }
  return heaps;
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const signed = (n: number, digits = 2) => `${n >= 0 ? "+" : ""}${fmt(n, digits)}`;
const pad = (s: string, n: number) => s.padEnd(n);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const runs = (section: Section) => args.only === undefined || args.only === section;
  const { list, agentwatch, allOn } = variants();
  console.log(
    `agentwatch bench: node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  );
  if (args.only === undefined || args.only === "overhead" || args.only === "features") {
    console.log(
      `agent: retrieve → agent ⇄ tools, offline model without sleeps; ${args.rounds} interleaved rounds × ${args.perRound} invokes, medians;\n` +
        "every tracer exports through a BatchSpanProcessor to a discarding exporter; AsyncLocalStorage context manager registered;\n" +
        "no-op (guardrails) and agentwatch (all on) run the same agent with the demo's guardrail nodes (built-in guardrails) around it\n",
    );
  }

  if (runs("cold-start")) {
    for (const line of await coldStart()) console.log(line);
    console.log("");
  }

  for (const concurrency of runs("overhead") ? [1, 16] : []) {
    const samples = await interleavedSamples(list, args.rounds, args.perRound, (v, n) => batch(v, n, concurrency));
    const times = new Map([...samples].map(([name, values]) => [name, median([...values])]));
    // Ratios are paired by round (each round runs every variant back to back), then the median over
    // rounds: a change in the machine's load between rounds cancels instead of skewing one variant.
    const ratio = (name: string, floor: string) => {
      const over = samples.get(floor) as number[];
      return median((samples.get(name) as number[]).map((ms, r) => ms / (over[r] as number)));
    };
    const floorOf = (name: string) =>
      name === "agentwatch (all on)" || name === "no-op (guardrails)" ? "no-op (guardrails)" : "no-op handler";
    console.log(concurrency === 1 ? "sequential invokes" : `${concurrency} concurrent invokes (time per invoke)`);
    console.log(`${pad("variant", 22)}${pad("ms/invoke", 12)}${pad("× no handler", 14)}× no-op handler (same graph; paired by round)`);
    for (const [name, ms] of times) {
      console.log(`${pad(name, 22)}${pad(fmt(ms, 3), 12)}${pad(fmt(ratio(name, "no handler")), 14)}${fmt(ratio(name, floorOf(name)))}`);
    }
    const aw = ratio("agentwatch", "no-op handler");
    const all = ratio("agentwatch (all on)", "no-op (guardrails)");
    const faster = (times.get("agentwatch") as number) < Math.min(times.get("openinference") as number, times.get("langfuse") as number);
    const verdict = (r: number) => `${fmt(r)} × no-op, target ≤ 1.05: ${r <= 1.05 ? "met" : "MISSED"}`;
    const noop = times.get("no-op handler") as number;
    console.log(
      `guardrail graph (the two guardrail nodes and their detectors, no tracer): ${signed((times.get("no-op (guardrails)") as number) - noop, 3)} ms per invoke over the plain graph`,
    );
    const aboveFloor = median(
      (samples.get("agentwatch") as number[]).map((ms, r) => ms - ((samples.get(SPAN_FLOOR) as number[])[r] as number)),
    );
    console.log(
      `${SPAN_FLOOR} (one OTel SDK span per step agentwatch traces, nothing else: the floor of any OTel tracer of these spans): ${fmt(ratio(SPAN_FLOOR, "no-op handler"))} × no-op; agentwatch above it ${signed(aboveFloor, 3)} ms per invoke (${fmt(ratio("agentwatch", SPAN_FLOOR))} ×)`,
    );
    console.log(`target: agentwatch ${verdict(aw)}; agentwatch (all on) ${verdict(all)}`);
    console.log(`agentwatch faster than openinference and langfuse: ${faster ? "yes" : "NO"}\n`);
  }

  if (runs("features")) {
    const { list: featureList, handlers } = featureVariants();
    const samples = await interleavedSamples(featureList, args.rounds, args.perRound, (v, n) => batch(v, n, 1));
    const s = (name: string) => samples.get(name) as number[];
    const t = (name: string) => median([...s(name)]);
    /** Median over rounds of a per-round difference, so slow changes in the machine's load cancel. */
    const paired = (f: (round: number) => number) => median(Array.from({ length: args.rounds }, (_, r) => f(r)));
    const at = (name: string, r: number) => s(name)[r] as number;
    const aw = t("agentwatch");
    console.log(
      `what each feature costs: default agentwatch plus that one feature, sequential invokes, ${args.rounds} interleaved rounds × ${args.perRound},\n` +
        "median over rounds of the difference to default agentwatch in the same round; content capture is off everywhere (opt-in)",
    );
    console.log(
      `default agentwatch ${fmt(aw, 3)} ms per invoke, ${signed(
        paired((r) => at("agentwatch", r) - at("no-op handler", r)),
        3,
      )} ms over the no-op handler`,
    );
    console.log(`${pad("feature", 14)}${pad("ms/invoke", 12)}cost over default agentwatch`);
    let sum = 0;
    for (const v of featureList.slice(3)) {
      // Guardrails and all on run on the guardrail graph: their floor there is the no-op handler on it.
      const extra = paired((r) =>
        v.guarded === true
          ? at(v.name, r) - at("no-op (guardrails)", r) - (at("agentwatch", r) - at("no-op handler", r))
          : at(v.name, r) - at("agentwatch", r),
      );
      console.log(`${pad(v.name, 14)}${pad(fmt(t(v.name), 3), 12)}${signed(extra, 3)} ms (${signed((extra / aw) * 100, 1)} %)`);
      if (v.name !== "all on") sum += extra;
    }
    console.log(
      `sum of the single features: ${signed(sum, 3)} ms; the guardrail graph's own nodes and detectors (no-op handler): ${signed(
        paired((r) => at("no-op (guardrails)", r) - at("no-op handler", r)),
        3,
      )} ms\n`,
    );
    for (const h of handlers) h.shutdown();
  }

  if (runs("alloc")) {
    const n = Math.max(100, args.perRound * 2);
    const rounds = 3;
    // Check the arithmetic first: a known batch of arrays must read back as its size (after a warm-up).
    await measureAllocation(() => allocateArrays(20));
    const calibration = await measureAllocation(() => allocateArrays(100));
    const plainRuns = await runsPerInvoke(false);
    const guardedRuns = await runsPerInvoke(true);
    console.log(
      `allocation and GC per invoke: v8.GCProfiler over ${rounds} interleaved batches × ${n} sequential invokes and their span exports; calibration: 100 MiB of arrays read as ${fmt(calibration.bytes / 2 ** 20, 1)} MiB`,
    );
    console.log(`LangChain runs per invoke (counting handler): ${plainRuns} (plain graph), ${guardedRuns} (guardrail graph)`);
    console.log(
      `${pad("variant", 22)}${pad("KiB/invoke", 12)}${pad("minor GCs", 11)}${pad("minor µs", 10)}${pad("major GCs", 11)}${pad("major µs", 10)}agentwatch's extra per LangChain run (vs no-op, same graph)`,
    );
    const names = ["no handler", "no-op handler", "agentwatch", "no-op (guardrails)", "agentwatch (all on)"];
    const alloc = names.map((name) => list.find((v) => v.name === name) as Variant);
    // Allocation depends on how far V8 has optimized LangChain's code: warm every variant up well first.
    for (const v of alloc) await batch(v, 2 * n, 1);
    const measured = new Map<string, AllocStats>(alloc.map((v) => [v.name, { bytes: 0, minor: 0, minorMs: 0, major: 0, majorMs: 0 }]));
    for (let round = 0; round < rounds; round++) {
      for (const v of alloc.map((_, i) => alloc[(i + round) % alloc.length] as Variant)) {
        const total = measured.get(v.name) as AllocStats;
        const a = await allocation(v, n);
        for (const key of Object.keys(total) as (keyof AllocStats)[]) total[key] += a[key];
      }
    }
    const invokes = n * rounds;
    const gcUs = (a: AllocStats) => (a.minorMs + a.majorMs) * 1000;
    for (const v of alloc) {
      const a = measured.get(v.name) as AllocStats;
      const floor = v.name === "agentwatch" ? "no-op handler" : v.name === "agentwatch (all on)" ? "no-op (guardrails)" : undefined;
      let extra = "";
      if (floor !== undefined) {
        const f = measured.get(floor) as AllocStats;
        const perRun = invokes * (v.guarded === true ? guardedRuns : plainRuns);
        extra = `${fmt((a.bytes - f.bytes) / perRun / 1024, 2)} KiB, GC ${fmt((gcUs(a) - gcUs(f)) / perRun, 1)} µs`;
      }
      console.log(
        `${pad(v.name, 22)}${pad(fmt(a.bytes / invokes / 1024, 1), 12)}${pad(fmt(a.minor / invokes, 3), 11)}${pad(fmt((a.minorMs * 1000) / invokes, 1), 10)}${pad(fmt(a.major / invokes, 4), 11)}${pad(fmt((a.majorMs * 1000) / invokes, 1), 10)}${extra}`,
      );
    }
    console.log("");
  }

  if (runs("profile")) {
    const names = ["no-op handler", SPAN_FLOOR, "agentwatch"];
    const rounds = Math.max(5, args.rounds);
    const tallies = await profileVariants(
      names,
      async (name) => ({
        invokes: args.perRound,
        ms: args.perRound * (await batch(list.find((v) => v.name === name) as Variant, args.perRound, 1)),
      }),
      rounds,
    );
    console.log(
      `where agentwatch's time goes: V8's CPU profiler (50 µs samples) over ${rounds} interleaved rounds × ${args.perRound} sequential invokes of each;\n` +
        "self time per invoke, so what a component adds is its own code only; the profiler slows all alike, compare differences and shares",
    );
    for (const line of profileReport(tallies, "no-op handler", SPAN_FLOOR, "agentwatch")) console.log(line);
    console.log("");
  }

  if (runs("handler"))
    console.log(`agentwatch's own work: ${fmt(await handlerCostPerRun())} µs per LangChain run (callbacks driven directly)`);
  for (const target of runs("metrics") ? [1000, 10_000] : []) {
    const { openMetrics: om, text, series } = await metricsRender(target);
    // The target is what `/metrics` serves; `renderMetrics`' one flat string (for other uses) is shown beside it.
    const met = Math.max(om.handler, text.handler) < 15;
    const verdict = target === 10_000 ? ` (target < 15 ms: ${met ? "met" : "MISSED"})` : "";
    console.log(
      `/metrics render with ${series} series: OpenMetrics ${fmt(om.handler)} ms, text 0.0.4 ${fmt(text.handler)} ms served by metricsHandler${verdict}; renderMetrics' flat string ${fmt(om.render)} / ${fmt(text.render)} ms`,
    );
  }

  if (runs("drift")) {
    // The drift option's defaults (200 query vectors, 200 permutations, a test a minute) and the demo's (DEMO_DRIFT).
    const costs = [
      { setting: "default", ...(await driftCost()) },
      { setting: "demo", ...(await driftCost(DEMO_DRIFT)) },
    ];
    console.log(
      `\ndrift check of query_embedding (MMD² and its permutation p-value, ${costs[0]?.dimensions ?? 0}-dim HashedBagOfWordsEmbeddings vectors; one evaluation = current vs reference window)`,
    );
    console.log(
      `${pad("setting", 10)}${pad("vectors", 12)}${pad("permutations", 14)}${pad("ms/evaluation", 15)}${pad("intervalMs", 12)}${pad("share of it", 13)}share of 60000 ms`,
    );
    for (const c of costs) {
      console.log(
        `${pad(c.setting, 10)}${pad(`${c.window} + ${c.window}`, 12)}${pad(String(c.permutations), 14)}${pad(fmt(c.ms, 3), 15)}${pad(String(c.intervalMs), 12)}${pad(`${fmt((c.ms / c.intervalMs) * 100, 3)} %`, 13)}${fmt((c.ms / 60_000) * 100, 4)} %`,
      );
    }
  }

  if (runs("heap")) {
    const aw = list.find((v) => v.name === "agentwatch") as Variant;
    const [h1, h2] = (await heapGrowth(aw, args.heap)) as [number, number];
    const growth = (h2 - h1) / h1;
    console.log(
      `heap after ${args.heap[0]} invokes: ${fmt(h1 / 2 ** 20, 1)} MiB; after ${args.heap[1]}: ${fmt(h2 / 2 ** 20, 1)} MiB (${growth >= 0 ? "+" : ""}${fmt(growth * 100, 1)} %, target within 10 %: ${Math.abs(growth) <= 0.1 ? "met" : "MISSED"}); open runs ${agentwatch.openRuns}`,
    );
  }
  agentwatch.shutdown();
  allOn.shutdown();
  process.exit(0);
}

await main();
