/* eslint-disable simple-import-sort/imports -- the README's snippet follows, verbatim, after the stand-in agent */
// The README's "Set up OpenTelemetry" code, between the markers exactly as the README shows it:
// tsc type-checks it here and readme-setup.test.ts runs it and compares it with the README.
import { graph, input } from "./agent.js";
// README:BEGIN
import { AgentWatchHandler } from "@agentwatch/middleware";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";

// Once, before the first run: keep spans in one trace across awaits, and send them somewhere.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const exporter = new OTLPTraceExporter(); // OTLP over HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, default localhost:4318
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] }));

const agentwatch = new AgentWatchHandler({ agentName: "support-agent" });
await graph.invoke(input, { callbacks: [agentwatch] });
// README:END
