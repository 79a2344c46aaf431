/**
 * The two set-up mistakes that lose traces without an error, reported once per process where a
 * person sees them (`console.warn`) as well as through OpenTelemetry `diag` (silent by default):
 * - no tracer provider: every span is a no-op, so traces vanish (metrics still work);
 * - no AsyncLocalStorage context manager: spans cannot be active across awaits, so your own spans
 *   and HTTP-client spans split off into traces of their own.
 * Checked when a root run opens its span; a correct set-up prints nothing.
 */
import { diag, isSpanContextValid, type Span } from "@opentelemetry/api";

export const NO_TRACER_PROVIDER =
  "agentwatch: no OpenTelemetry tracer provider is registered, so the traces of your agent runs go nowhere (metrics still work). " +
  "Fix: before the first run, register one with an exporter, e.g. trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: " +
  "[new BatchSpanProcessor(new OTLPTraceExporter())] })) (or start the OpenTelemetry Node SDK), or pass tracerProvider to new AgentWatchHandler(). " +
  'See "Set up OpenTelemetry" in the README.';

export const NO_CONTEXT_MANAGER =
  "agentwatch: no AsyncLocalStorageContextManager is registered, so your own spans and HTTP-client spans cannot nest under agent steps: " +
  "they start traces of their own. Fix: before the first run, call context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()) " +
  '(@opentelemetry/context-async-hooks; the OpenTelemetry Node SDK and NodeTracerProvider#register() do it). See "Set up OpenTelemetry" in the README.';

const warned = new Set<string>();

function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  diag.warn(message);
  console.warn(message);
}

/** Warns (once per process) that no context manager is registered. */
export function warnNoContextManager(): void {
  warnOnce(NO_CONTEXT_MANAGER);
}

/**
 * Checks the set-up as a root run opens `span`: a span with an invalid context came from the no-op
 * tracer (no provider); `contextStorage` says whether the context manager agentwatch needs is registered.
 */
export function checkSetUp(span: Span, contextStorage: boolean): void {
  if (warned.size === 2) return;
  if (!isSpanContextValid(span.spanContext())) warnOnce(NO_TRACER_PROVIDER);
  if (!contextStorage) warnNoContextManager();
}
