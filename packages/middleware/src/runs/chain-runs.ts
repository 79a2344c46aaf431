import { type Attributes, SpanKind } from "@opentelemetry/api";

import { isInterruptKind } from "../langchain/error-info.js";
import { serializedClass } from "../langchain/llm-payload.js";
import { isPromptTemplate, promptLabels, templateHash } from "../langchain/prompt-provenance.js";
import { dict, text } from "../langchain/values.js";
import type { AgentWatchMetrics } from "../metrics/agentwatch-metrics.js";
import { ATTR } from "../semconv.js";
import { nowMs } from "../util/clock.js";
import type { ChainStart } from "./events.js";
import type { Handoffs } from "./handoffs.js";
import type { RunLifecycle, RunOutcome } from "./lifecycle.js";
import type { ModelRetries } from "./model-retries.js";
import { chainKindOf, collapsedRun, graphPlaceOf, type StartPlace } from "./parenting.js";
import type { RunRecord } from "./run-record.js";

/**
 * Chains under a root run: LangGraph nodes (a span named for the node, `langgraph.node` /
 * `langgraph.step`, node duration metrics), plumbing (collapsed, or `chain {name}` spans with
 * `showAllRuns`), and prompt templates, whose identity is left for the model call that follows.
 */
export class ChainRuns {
  constructor(
    private readonly lifecycle: RunLifecycle,
    private readonly metrics: AgentWatchMetrics,
    private readonly showAllRuns: boolean,
    private readonly handoffs: Handoffs,
    private readonly retries: ModelRetries,
  ) {
    lifecycle.on(["node"], {
      closing: (run, span, outcome) => {
        span.setAttribute(ATTR.costUsd, run.costUsd);
        this.handoffs.nodeClosing(run, span, outcome);
      },
      closed: (run, span, outcome) => {
        countInterrupt(this.metrics, run, outcome);
        if (!outcome.cancelled)
          this.metrics.agents.node({ agent: run.agent, node: run.name, errorType: outcome.errorType }, outcome.seconds, span);
      },
    });
  }

  /** A chain started under `place.parent` (a root chain is an agent run: see runs/agent-runs.ts). */
  start(place: StartPlace & { parent: RunRecord }, event: ChainStart): void {
    const { id, parent } = place;
    const md = dict(event.metadata);
    const name = text(event.runName) ?? serializedClass(event.serialized) ?? "chain";
    if (isPromptTemplate(event.serialized)) {
      // The model call that follows a prompt template in a sequence is its sibling: leave the
      // template's identity on the shared parent for it.
      const info = promptLabels(md);
      const hash = templateHash(event.serialized);
      if (hash !== undefined) info.hash = hash;
      parent.prompt = info;
    }
    const kind = chainKindOf(name, event.tags, md, parent, this.showAllRuns);
    const { node, step } = graphPlaceOf(md);
    if (kind === "hidden") {
      const run = collapsedRun(name, nowMs(), parent, node, step);
      this.retries.chainStarted(run, event.serialized);
      this.lifecycle.track(id, run);
      return;
    }
    const attributes: Attributes = { [ATTR.runId]: id };
    if (kind === "node") {
      attributes[ATTR.langgraphNode] = name;
      if (step !== undefined) attributes[ATTR.langgraphStep] = step;
    } else {
      attributes[ATTR.runType] = text(event.runType) ?? "chain";
    }
    const run = this.lifecycle.open({
      id,
      kind,
      name,
      root: parent.root,
      details: { node: kind === "node" ? name : node, step },
      parent,
      spanName: kind === "node" ? name : `chain ${name}`,
      spanKind: SpanKind.INTERNAL,
      attributes,
      activate: event.activate,
    });
    this.retries.chainStarted(run, event.serialized);
  }
}

/**
 * A human-in-the-loop interrupt ended a node or agent run: counted once per root run (an
 * interrupt is not an error; a handoff, runs/handoffs.ts, is not an interrupt).
 */
export function countInterrupt(metrics: AgentWatchMetrics, run: RunRecord, outcome: RunOutcome): void {
  if (!isInterruptKind(outcome.controlFlow) || run.root.interrupted) return;
  run.root.interrupted = true;
  metrics.agents.interrupt({ agent: run.root.agent, node: run.kind === "node" ? run.name : "" });
}
