/**
 * `npm run bench:faults`: the agent's latency with agentwatch exporting spans through the proto
 * OTLPTraceExporter and `monitoredBatchSpanProcessor` (OpenTelemetry's BatchSpanProcessor, default
 * settings) to an endpoint that is healthy, refusing connections, hanging, answering 500, or slow.
 * Each variant has its own tracer provider; the endpoints run in a child process. Interleaved
 * rounds after warm-up, medians, and each variant's export health at the end.
 * Options: --rounds N (default 9), --per-round N (default 100), --slow-ms N (default 2000), --quick.
 */
import { fork } from "node:child_process";
import os from "node:os";

import {
  AgentWatchHandler,
  createOpenMetricsRegistry,
  METRIC,
  type MetricsRegistry,
  monitoredBatchSpanProcessor,
} from "@agentwatch/middleware";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";

import { benchAgent } from "./agent.js";
import type { FaultPorts } from "./fault-endpoint.js";
import { interleavedMedians, timedBatch } from "./interleave.js";

interface Args {
  rounds: number;
  perRound: number;
  slowMs: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { rounds: 9, perRound: 100, slowMs: 2000 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const int = (name: string) => {
      const n = Number(argv[i + 1]);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} needs a positive integer, got ${JSON.stringify(argv[i + 1])}`);
      i++;
      return n;
    };
    if (flag === "--rounds") args.rounds = int("--rounds");
    else if (flag === "--per-round") args.perRound = int("--per-round");
    else if (flag === "--slow-ms") args.slowMs = int("--slow-ms");
    else if (flag === "--quick") Object.assign(args, { rounds: 5, perRound: 40 });
    else throw new Error(`unknown flag ${JSON.stringify(flag)}; use --rounds N, --per-round N, --slow-ms N or --quick`);
  }
  return args;
}

/** Starts the fault endpoints in a child process and returns their ports. */
function startEndpoints(slowMs: number): Promise<{ ports: FaultPorts; stop: () => void }> {
  const child = fork(new URL("./fault-endpoint.js", import.meta.url), [String(slowMs)], { stdio: "inherit" });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("message", (ports) => resolve({ ports: ports as FaultPorts, stop: () => child.disconnect() }));
  });
}

interface Variant {
  name: string;
  handler: AgentWatchHandler;
  registry: MetricsRegistry;
  provider: BasicTracerProvider;
}

/** agentwatch → BatchSpanProcessor (OTel defaults) → proto OTLP exporter (default 10 s timeout) → `port`. */
function variant(name: string, port: number): Variant {
  const registry = createOpenMetricsRegistry();
  const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` });
  const provider = new BasicTracerProvider({ spanProcessors: [monitoredBatchSpanProcessor(exporter, { registry })] });
  return { name, registry, provider, handler: new AgentWatchHandler({ tracerProvider: provider, registry, agentName: "bench" }) };
}

const agent = benchAgent();

/** "exported 1234, failed 56 (timeout), dropped 7, queued 8" from a variant's /metrics. */
async function health(registry: MetricsRegistry): Promise<string> {
  const lines = (await registry.metrics()).split("\n");
  const read = (prefix: string) =>
    lines.filter((l) => l.startsWith(prefix)).map((l) => ({ line: l, value: Number(l.slice(l.lastIndexOf(" ") + 1)) }));
  const total = (prefix: string) => read(prefix).reduce((n, s) => n + s.value, 0);
  const reasons = read(`${METRIC.spansExportFailed}{`)
    .filter((s) => s.value > 0)
    .map((s) => `${/reason="([^"]*)"/.exec(s.line)?.[1]} ${s.value}`);
  return [
    `exported ${total(`${METRIC.spansExported} `)}`,
    `failed ${total(`${METRIC.spansExportFailed}{`)}${reasons.length > 0 ? ` (${reasons.join(", ")})` : ""}`,
    `dropped ${total(`${METRIC.spansDropped} `)}`,
    `queued ${total(`${METRIC.spanQueueSize} `)}`,
    `pending ${total(`${METRIC.spansExportPending} `)}`,
  ].join(", ");
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const pad = (s: string, n: number) => s.padEnd(n);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { ports, stop } = await startEndpoints(args.slowMs);
  const list = [
    variant("healthy", ports.healthy),
    variant("refusing", ports.refusing),
    variant("hanging", ports.hanging),
    variant("http 500", ports.error500),
    variant(`slow ${args.slowMs} ms`, ports.slow),
  ];
  console.log(
    `agentwatch export-fault bench: node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  );
  console.log(
    `agent: retrieve → agent ⇄ tools, offline model without sleeps; agentwatch → BatchSpanProcessor (OTel defaults) → proto OTLP exporter; ${args.rounds} interleaved rounds × ${args.perRound} invokes, medians\n`,
  );
  for (const concurrency of [1, 16]) {
    const times = await interleavedMedians(list, args.rounds, args.perRound, (v, n) =>
      timedBatch(() => agent.invoke([v.handler]), n, concurrency),
    );
    const healthy = times.get("healthy") as number;
    console.log(concurrency === 1 ? "sequential invokes" : `${concurrency} concurrent invokes (time per invoke)`);
    console.log(`${pad("endpoint", 16)}${pad("ms/invoke", 12)}× healthy`);
    for (const [name, ms] of times) console.log(`${pad(name, 16)}${pad(fmt(ms, 3), 12)}${fmt(ms / healthy)}`);
    console.log("");
  }
  console.log("export health after the runs (the processor's own metrics):");
  for (const v of list) console.log(`${pad(v.name, 16)}${await health(v.registry)}`);
  for (const v of list) v.handler.shutdown();
  stop();
  process.exit(0);
}

await main();
