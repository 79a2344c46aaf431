import { METRIC } from "@agentwatch/middleware";

import { familyName } from "./metrics-snapshot.js";
import type { SoakReport } from "./run-soak.js";
import { SOAK_MAX_LABEL_VALUES } from "./soak-handler.js";

/** One invariant of the soak and whether it held. */
export interface SoakCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/**
 * Heap growth allowed between the 20 % mark and the end, both measured after GC with no run open:
 * 8 MiB. By the 20 % mark (6,000 invocations by default) every bounded cache is full (recent runs,
 * label values, prompt info, compiled graphs), so what remains is V8's noise: +1.1 and +2.0 MiB in
 * two default soaks here. Over the default soak's last 24,000 invocations the limit catches a leak of
 * about 350 bytes per invocation, or 1.5 KiB per evicted run (≈ 5,500 of them).
 */
export const HEAP_GROWTH_LIMIT_BYTES = 8 * 2 ** 20;

/** Fewest invocations at the 20 % mark for the heap comparison to mean anything. */
export const MIN_HEAP_MARK_INVOCATIONS = 5000;

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** The soak's verdict: each invariant of issue 8 with the numbers behind it. */
export function soakChecks(report: SoakReport): SoakCheck[] {
  const checks: SoakCheck[] = [];
  const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const { evictions, spans, openRuns, metrics } = report;
  const neverEnded = evictions.neverEnded.normal + evictions.neverEnded.failing + evictions.neverEnded.abandoned;

  add(
    "invocations did what was planned",
    report.outcomes.unexpected === 0,
    report.outcomes.unexpected === 0
      ? `${report.outcomes.completed} completed, ${report.outcomes.failed} failed as planned, ${report.outcomes.abandoned} abandoned`
      : `${report.outcomes.unexpected} did not, e.g. ${report.unexpected[0] ?? "?"}`,
  );
  if (report.options.minRuns > 0) {
    add(
      "soak size",
      report.runs >= report.options.minRuns,
      `${report.runs} LangChain runs in ${report.invocations} invocations (at least ${report.options.minRuns} runs wanted)`,
    );
  }
  add(
    "open runs bounded",
    openRuns.violations === 0 && openRuns.samples > 0,
    openRuns.violations === 0
      ? `max ${openRuns.max} over ${openRuns.samples} samples; never more than LangChain's runs open for < ${report.limitMs} ms (+ ${"the judge's calls"})`
      : `${openRuns.violations} of ${openRuns.samples} samples over the bound; first: ${openRuns.firstViolation ?? "?"}`,
  );
  add(
    "abandoned runs were left open",
    report.stalled === 0 || evictions.neverEnded.abandoned >= report.stalled,
    `${report.stalled} hung invocations left ${evictions.neverEnded.abandoned} LangChain runs open for good`,
  );
  // Exact when the process ran smoothly; a run that really lived past the TTL (the process stalled
  // under it) may have been evicted too, so it widens the range by what the ledger saw.
  const evictionsOk = evictions.counted >= neverEnded && evictions.counted <= neverEnded + evictions.endedPastTtl;
  add(
    "evictions counted",
    evictionsOk,
    `agentwatch_runs_evicted_total ${evictions.counted}; LangChain runs never ended ${neverEnded} ` +
      `(abandoned ${evictions.neverEnded.abandoned}, normal ${evictions.neverEnded.normal}, failing ${evictions.neverEnded.failing})` +
      (evictions.endedPastTtl > 0 ? `, plus up to ${evictions.endedPastTtl} that ended after the TTL` : ""),
  );
  add(
    "no run open after the soak",
    openRuns.atEnd === 0,
    `handler.openRuns ${openRuns.atEnd} after waiting ${report.limitMs} ms (TTL ${report.ttlMs} + sweep ${report.sweepMs} + slack)`,
  );
  const spanLimit = report.limitMs + report.stallMs;
  add(
    "no span open past TTL + sweep period",
    spans.maxOpenMs <= spanLimit && openRuns.overdueSpanSamples === 0 && spans.openAtEnd === 0,
    `longest open ${Math.round(spans.maxOpenMs)} ms (${spans.maxOpenName || "-"}), limit ${Math.round(spanLimit)} ms ` +
      `(TTL ${report.ttlMs} + sweep ${report.sweepMs} + slack, + ${Math.round(report.stallMs)} ms the process stalled); ` +
      `${spans.openAtEnd} open at the end; ${spans.evicted} spans ended by eviction`,
  );
  // The overflow counter's `metric` label names agentwatch's own metrics: bounded by the catalogue, not capped.
  const capped = metrics.widest.filter((w) => w.metric !== familyName(METRIC.labelOverflow));
  const overCap = capped.filter((w) => w.values > SOAK_MAX_LABEL_VALUES + 1);
  add(
    "label values capped",
    overCap.length === 0 && metrics.labelOverflow > 0,
    overCap.length > 0
      ? `over the cap of ${SOAK_MAX_LABEL_VALUES} + "other": ${overCap.map((w) => `${w.metric}{${w.label}} ${w.values}`).join(", ")}`
      : `${metrics.series} series; widest label ${capped[0]?.metric ?? "-"}{${capped[0]?.label ?? "-"}} ` +
          `${capped[0]?.values ?? 0} values (cap ${SOAK_MAX_LABEL_VALUES} + "other"); ${metrics.labelOverflow} values became "other"`,
  );
  const errors = Object.entries(metrics.handlerErrors);
  add(
    "no handler self-errors",
    errors.length === 0,
    errors.length === 0 ? "agentwatch_handler_errors_total 0" : errors.map(([callback, n]) => `${callback} ${n}`).join(", "),
  );
  add(
    "nothing unexpected logged",
    report.console.other === 0,
    report.console.other === 0
      ? `${report.console.guardAborts} lines from LangChain, all guard aborts ("Error in handler AgentWatchHandler, ...: AgentBudgetExceededError")`
      : `${report.console.other} unexpected console.error/warn lines, e.g. ${report.console.otherSamples[0] ?? "?"}`,
  );
  add(
    "feedback reached its runs",
    report.feedback.found === report.feedback.sent,
    `${report.feedback.found} of ${report.feedback.sent} answers' feedback tokens were accepted`,
  );
  if (report.options.heap) {
    const [first, last] = [report.heap[0], report.heap[report.heap.length - 1]];
    if (report.heap.length < 2 || first === undefined || last === undefined || first.invocations < MIN_HEAP_MARK_INVOCATIONS) {
      add("heap bounded", true, `not judged: needs two marks, the first after at least ${MIN_HEAP_MARK_INVOCATIONS} invocations`);
    } else {
      const growth = last.bytes - first.bytes;
      add(
        "heap bounded",
        growth <= HEAP_GROWTH_LIMIT_BYTES,
        `${mb(first.bytes)} after ${first.invocations} invocations, ${mb(last.bytes)} after ${last.invocations}: ` +
          `${growth >= 0 ? "+" : ""}${mb(growth)} (limit +${mb(HEAP_GROWTH_LIMIT_BYTES)}); series ${first.series} → ${last.series}`,
      );
    }
  }
  return checks;
}
