import { type Context, trace } from "@opentelemetry/api";

import { type Dict, text } from "../langchain/values.js";
import { type RootState, type RunKind, RunRecord } from "./run-record.js";
import type { RunStore } from "./run-store.js";

/**
 * Where a span's parent is decided. A run's span is a child of its parent run's span, found by
 * LangChain's parent run id; a run whose parent is collapsed (plumbing) attaches to the nearest
 * kept ancestor; a root run's span is a child of whatever was active where it started (an HTTP
 * request's span, say). A run whose parent agentwatch does not know is ignored with its subtree.
 */

/** LangChain run names that are graph plumbing even when not tagged hidden. */
const PLUMBING_NAMES = new Set(["__start__", "__end__", "__pregel_pull", "__pregel_push"]);

/** A run to track: its id and its parent's record (undefined for a root run). */
export interface StartPlace {
  id: string;
  parent: RunRecord | undefined;
}

/** Validates ids; returns where the run goes, or undefined to ignore the start (a duplicate, a malformed id, an unknown parent). */
export function placeOf(runs: RunStore<RunRecord>, runId: unknown, parentRunId: unknown): StartPlace | undefined {
  if (typeof runId !== "string" || runId === "" || runs.has(runId)) return undefined;
  if (parentRunId === undefined || parentRunId === null) return { id: runId, parent: undefined };
  const parent = runs.get(parentRunId);
  // A parent we do not know (evicted, never started, malformed): ignore the run and its subtree.
  return parent === undefined ? undefined : { id: runId, parent };
}

/**
 * Whether a chain run is a LangGraph node (a span named for the node), plumbing shown as
 * `chain {name}` (with `showAllRuns`), or collapsed (`hidden`: no span, children go to the parent).
 */
export function chainKindOf(name: string, tags: unknown, md: Dict, parent: RunRecord, showAllRuns: boolean): RunKind {
  const hidden = (Array.isArray(tags) && tags.includes("langsmith:hidden")) || PLUMBING_NAMES.has(name);
  const isNode =
    !hidden && md.langgraph_node === name && !(parent.node === name && parent.step === md.langgraph_step && parent.kind === "node");
  if (isNode) return "node";
  return showAllRuns ? "chain" : "hidden";
}

/** A collapsed run: no span of its own; its children attach to its parent's span, in its parent's context. */
export function collapsedRun(
  name: string,
  startMs: number,
  parent: RunRecord,
  node: string | undefined,
  step: number | undefined,
): RunRecord {
  const run = new RunRecord("hidden", name, startMs, parent.root, undefined, parent.parentSpan, parent, { node, step });
  run.childContext = parent.childContext;
  return run;
}

/** The context a new run's span starts in: its parent's child context, or for a root the context it was started in. */
export function parentContextOf(parent: RunRecord | undefined, root: RootState): Context {
  return parent === undefined ? root.baseContext : childContextOf(parent);
}

/** The context a run's children start in, made once per run (a context is immutable). */
export function childContextOf(run: RunRecord): Context {
  run.childContext ??= run.parentSpan === undefined ? run.root.baseContext : trace.setSpan(run.root.baseContext, run.parentSpan);
  return run.childContext;
}

/** The node and step of a run from its LangGraph metadata. */
export function graphPlaceOf(md: Dict): { node: string | undefined; step: number | undefined } {
  return { node: text(md.langgraph_node), step: typeof md.langgraph_step === "number" ? md.langgraph_step : undefined };
}
