import type { Span } from "@opentelemetry/api";

import { parentCommandTargets, returnedCommandTargets } from "../langchain/commands.js";
import type { AgentWatchMetrics } from "../metrics/agentwatch-metrics.js";
import { ATTR, EVENT } from "../semconv.js";
import type { RunOutcome } from "./lifecycle.js";
import type { RunRecord } from "./run-record.js";

/**
 * LangGraph handoffs: a node handing control to other nodes, its own signal
 * (`agentwatch_handoffs_total{agent,from,to}`, one per target; `agentwatch.handoff.*` and an
 * `agentwatch.handoff` event on the node span), never an interrupt and never an error.
 *
 * Two forms. A node that returns `new Command({ goto })` hands off in its own graph: `from` is that
 * node. A node of a subgraph whose command goes to the parent graph (`graph: Command.PARENT`, a
 * supervisor's expert handing back or on) makes LangGraph raise a `ParentCommand`, which ends that
 * node, the subgraph and the parent graph's node running the subgraph, where the goto is resolved:
 * `from` is that parent-graph node (the expert), the nearest node above the one that raised it, and
 * the handoff is counted once, at the first node it ends, however many runs it bubbles through.
 */
export class Handoffs {
  /** `ParentCommand`s already counted, with their `from`: held weakly, gone with the error, so nothing to bound. */
  private readonly counted = new WeakMap<object, string>();

  constructor(private readonly metrics: AgentWatchMetrics) {}

  /** A node run is ending (its span still open): counts and marks the handoff it ended with, if any. */
  nodeClosing(run: RunRecord, span: Span, outcome: RunOutcome): void {
    const signal = outcome.signal;
    const bubbled = parentCommandTargets(signal);
    if (bubbled !== undefined && typeof signal === "object" && signal !== null) {
      let from = this.counted.get(signal);
      if (from === undefined) {
        const handing = nearestNodeAbove(run) ?? run;
        from = handing.name;
        this.counted.set(signal, from);
        this.count(handing, bubbled);
      }
      mark(span, from, bubbled, outcome.endMs);
      return;
    }
    if (outcome.error !== undefined || outcome.controlFlow !== undefined) return;
    const targets = returnedCommandTargets(outcome.outputs);
    if (targets.length === 0) return;
    this.count(run, targets);
    mark(span, run.name, targets, outcome.endMs);
  }

  /** Counts `from`'s handoff to each target, labelled with the agent `from` belongs to (the graph the goto is resolved in). */
  private count(from: RunRecord, targets: readonly string[]): void {
    for (const to of targets) this.metrics.agents.handoff({ agent: from.agent, from: from.name, to });
  }
}

/**
 * The nearest LangGraph node run above `run`: the node of the enclosing graph that runs `run`'s
 * graph (the nested agent's run, runs/nested-agents.ts, and collapsed runs in between are skipped).
 */
function nearestNodeAbove(run: RunRecord): RunRecord | undefined {
  for (let up = run.parent; up !== undefined; up = up.parent) if (up.kind === "node") return up;
  return undefined;
}

function mark(span: Span, from: string, targets: string[], endMs: number): void {
  if (targets.length === 0) return;
  span.setAttribute(ATTR.handoffFrom, from);
  span.setAttribute(ATTR.handoffTo, targets);
  span.addEvent(EVENT.handoff, { [ATTR.handoffFrom]: from, [ATTR.handoffTo]: targets }, endMs);
}
