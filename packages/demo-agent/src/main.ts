import type { AddressInfo } from "node:net";
import { AgentWatchHandler } from "@agentwatch/middleware";
import { parseDemoArgs } from "./demo-cli.js";
import { createApp } from "./server.js";
import { setupTracing } from "./telemetry.js";

const SAMPLES = ["Where is my order AB-1234?", "What is your refund policy?", "How do I reset my password?"];

async function main(): Promise<void> {
  let options: ReturnType<typeof parseDemoArgs>;
  try {
    options = parseDemoArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  const { provider, destination } = setupTracing();
  // The offline model is priced like a small hosted model, so the demo's cost metrics move.
  const handler = new AgentWatchHandler({
    agentName: "acme-support",
    prices: { "acme-scripted-1": { input: 0.15, output: 0.6, cacheRead: 0.075 } },
  });
  const server = createApp({ handler }).listen(options.port, options.host);
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  const { port } = server.address() as AddressInfo;
  const base = `http://${options.host}:${port}`;
  console.log(`Acme support agent (offline scripted model) on ${base}`);
  console.log(`traces → ${destination === "otlp" ? "OTLP endpoint from OTEL_EXPORTER_OTLP_*" : "stdout, one tree per request"}`);
  for (const message of SAMPLES) {
    const res = await fetch(`${base}/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message, user_id: "demo-user" }),
    });
    const body = (await res.json()) as { answer?: string; trace_id?: string };
    console.log(`> ${message}\n< ${body.answer}  [trace ${body.trace_id}]`);
  }
  const metrics = await (await fetch(`${base}/metrics`)).text();
  const headline = metrics
    .split("\n")
    .filter((l) =>
      /^(gen_ai_invoke_agent_duration_seconds_count|gen_ai_client_token_usage_sum|gen_ai_execute_tool_duration_seconds_count)/.test(l),
    );
  console.log(`metrics at ${base}/metrics, e.g.:\n${headline.map((l) => `  ${l}`).join("\n")}`);
  const stop = async () => {
    server.close();
    handler.shutdown();
    await provider.shutdown();
  };
  if (options.once) {
    await stop();
    return;
  }
  console.log(`try: curl -s ${base}/chat -H 'content-type: application/json' -d '{"message":"Where is my order AB-1234?"}'`);
  process.once("SIGINT", () => void stop().then(() => process.exit(0)));
  process.once("SIGTERM", () => void stop().then(() => process.exit(0)));
}

await main();
