import type { AddressInfo } from "node:net";

import type { CanaryProber } from "@agentwatch/eval";
import { createOpenMetricsRegistry, createSharedStore } from "@agentwatch/middleware";

import { mountChatPage } from "./chat-page-routes.js";
import { loadDemoCanaries } from "./demo-canaries.js";
import { demoHelp, parseDemoArgs } from "./demo-cli.js";
import { createDemoHandler } from "./demo-handler.js";
import { headlineMetrics } from "./headline-metrics.js";
import { IncidentController } from "./incidents.js";
import { chooseProvider, createProviderModel, type ModelProvider } from "./model-provider.js";
import { TRAFFIC_SAMPLES } from "./questions.js";
import { createApp } from "./server.js";
import { setupTracing } from "./telemetry.js";

const SAMPLES = ["Where is my order AB-1234?", "What is your refund policy?", "How do I reset my password?"];

function fail(message: string): never {
  console.error(`demo: ${message}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseDemoArgs>;
  let provider: ModelProvider;
  const help = demoHelp(process.argv.slice(2));
  if (help !== undefined) {
    console.log(help);
    return;
  }
  try {
    options = parseDemoArgs(process.argv.slice(2));
    provider = chooseProvider(process.env);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const model = provider === "scripted" ? undefined : await createProviderModel(provider, process.env);
  const registry = createOpenMetricsRegistry();
  const { provider: tracerProvider, destination } = setupTracing(registry);
  // Shared state (spend windows, conversations) in Redis when REDIS_URL is set, so replicas share it; else in process.
  let store: ReturnType<typeof createSharedStore>;
  try {
    store = createSharedStore();
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const handler = createDemoHandler({ registry, store });
  const incidents = new IncidentController(options.incidents);
  incidents.onChange((active) => console.log(`incidents now active: ${active.length > 0 ? active.join(", ") : "none"}`));
  const canaryCases = options.canaries ? await loadDemoCanaries() : undefined;
  const app = createApp({
    handler,
    incidents,
    ...(canaryCases !== undefined ? { canaries: { cases: canaryCases, intervalMs: options.canaryIntervalMs } } : {}),
    speed: options.speed,
    seed: options.seed,
    mount: (a) => mountChatPage(a, { handler }),
    ...(model !== undefined ? { model } : {}),
  });
  const server = app.listen(options.port, options.host);
  try {
    await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "EADDRINUSE")
      fail(
        `port ${options.port} on ${options.host} is already in use: stop what listens there, or pick another with --port N (or PORT=N; 0 picks a free one)`,
      );
    if (code === "EADDRNOTAVAIL")
      fail(
        `${options.host} is not an address of this machine: use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface)`,
      );
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const base = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`;
  const modelNote =
    provider === "scripted"
      ? `offline scripted model, seeded latency${options.speed === 1 ? "" : ` ÷ ${options.speed}`}`
      : `${provider} (${model?.constructor.name ?? provider}) from the environment`;
  console.log(`Acme support agent (${modelNote}) on ${base}`);
  console.log(`chat page: ${base}/   metrics: ${base}/metrics`);
  console.log(
    `shared state: ${store.kind === "redis" ? "Redis (REDIS_URL)" : "in this process (set REDIS_URL to share it between replicas)"}`,
  );
  console.log(`traces → ${destination === "otlp" ? "OTLP endpoint from OTEL_EXPORTER_OTLP_*" : "stdout, one tree per request"}`);
  if (options.incidents.length > 0) console.log(`incidents active: ${options.incidents.join(", ")}`);
  const samples = [...SAMPLES, ...TRAFFIC_SAMPLES[incidents.effects().traffic]];
  for (const message of samples) {
    const res = await fetch(`${base}/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message, user_id: "demo-user" }),
    });
    const body = (await res.json()) as { answer?: string; trace_id?: string; error?: string };
    console.log(`> ${message}\n< ${res.ok ? body.answer : `HTTP ${res.status}: ${body.error}`}  [trace ${body.trace_id}]`);
  }
  const metrics = await (await fetch(`${base}/metrics`)).text();
  const headline = headlineMetrics(metrics);
  console.log(`metrics at ${base}/metrics, e.g.:\n${headline.map((l) => `  ${l}`).join("\n")}`);
  const canaries = app.locals.canaries as CanaryProber | undefined;
  console.log(
    canaries === undefined
      ? "canaries: off"
      : `canaries: ${canaryCases?.length ?? 0} cases every ${options.canaryIntervalMs / 1000} s (agentwatch_canary_* on /metrics; --no-canaries turns them off)`,
  );
  const stop = async () => {
    await canaries?.stop();
    server.close();
    handler.shutdown();
    await store.close();
    // A final flush to an unreachable OTLP endpoint must not turn a clean exit into a crash.
    await tracerProvider
      .shutdown()
      .catch((error: unknown) => console.error(`traces not flushed: ${error instanceof Error ? error.message : String(error)}`));
  };
  if (options.once) {
    await handler.evaluationsIdle();
    await stop();
    return;
  }
  console.log(`try: curl -s ${base}/chat -H 'content-type: application/json' -d '{"message":"Where is my order AB-1234?"}'`);
  console.log(`     curl -sN '${base}/chat?stream=1' -H 'content-type: application/json' -d '{"message":"How do I reset my password?"}'`);
  console.log(
    `incidents: curl -s ${base}/admin/incidents ; curl -s -X POST ${base}/admin/incidents/latency-spike (loopback or ADMIN_TOKEN)`,
  );
  console.log(`traffic:   npm run load -- --rps 5 --duration 2m --url ${base}`);
  process.once("SIGINT", () => void stop().then(() => process.exit(0)));
  process.once("SIGTERM", () => void stop().then(() => process.exit(0)));
}

await main();
