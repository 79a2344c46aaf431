import type { DriftResult } from "../drift/types.js";
import { LABEL, METRIC } from "../semconv.js";
import type { Instruments } from "./instruments.js";

/**
 * Drift gauges, written at each scrape from the latest tests (drift/drift-monitor.ts runs them on
 * its timer, never on a callback): score, p-value and the two window sizes per agent and signal.
 */
export class DriftMetrics {
  constructor(instruments: Instruments, results: () => readonly DriftResult[]) {
    const labelNames = [LABEL.agent, LABEL.signal];
    const part = (pick: (r: DriftResult) => number) => (gauge: { set: (l: Record<string, string>, v: number) => void }) => {
      for (const r of results()) gauge.set({ [LABEL.agent]: r.agent, [LABEL.signal]: r.signal }, pick(r));
    };
    instruments.sharedGauge(
      {
        name: METRIC.driftScore,
        help: "Drift of a signal against its reference: MMD² (query_embedding), KS D (answer_length, output_tokens), share difference current − reference (finish_length, finish_content_filter, refusal).",
        labelNames,
      },
      part((r) => r.score),
    );
    instruments.sharedGauge(
      {
        name: METRIC.driftPValue,
        help: "p-value of the drift test (permutation MMD, two-sample KS, two-proportion z): small means the current window is unlikely under the reference.",
        labelNames,
      },
      part((r) => r.pValue),
    );
    instruments.sharedGauge(
      {
        name: METRIC.driftWindowSize,
        help: "Observations in the drift windows, by window (current, reference).",
        labelNames: [...labelNames, LABEL.window],
      },
      (gauge) => {
        for (const r of results()) {
          gauge.set({ [LABEL.agent]: r.agent, [LABEL.signal]: r.signal, [LABEL.window]: "current" }, r.currentSize);
          gauge.set({ [LABEL.agent]: r.agent, [LABEL.signal]: r.signal, [LABEL.window]: "reference" }, r.referenceSize);
        }
      },
    );
  }
}
