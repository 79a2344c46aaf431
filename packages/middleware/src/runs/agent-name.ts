import { diag } from "@opentelemetry/api";

/**
 * How agents are named, and the one-time warning when a root agent's name is a generic default.
 * A root agent is named by the handler's `agentName` option, else run metadata `agent_name`, else
 * the root run's name (`graph.compile({ name })`, `.withConfig({ runName })`); see runs/root-state.ts.
 */

/** Names LangChain / LangGraph give runs nobody named: the compiled graph's default, runnable class names, our fallback. */
export function isGenericName(name: string): boolean {
  return (
    name === "" ||
    name === "LangGraph" ||
    name === "chain" ||
    name === "Pregel" ||
    name.startsWith("Runnable") ||
    name.startsWith("Compiled")
  );
}

/** The fix a person reads, in one sentence. */
const FIX =
  'name it with the handler\'s agentName option, graph.compile({ name: "my-agent" }) or .withConfig({ runName: "my-agent" }), or run metadata agent_name';

/** Warns once (per handler) that root agents carry a generic name, so all such agents share one series. */
export class GenericNameWarning {
  private warned = false;

  /** Checks the name `agent` of a root agent run; warns the first time it is generic. */
  check(agent: string): void {
    if (this.warned || !isGenericName(agent)) return;
    this.warned = true;
    const message = `agentwatch: an agent run is named "${agent}", a generic default, so every agent named so shares one series in traces and metrics: ${FIX}.`;
    console.warn(message);
    diag.warn(message);
  }
}
