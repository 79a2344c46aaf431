import { type Dict, dict, text } from "../langchain/values.js";
import { isGenericName } from "./agent-name.js";
import type { RunRecord } from "./run-record.js";

/**
 * Which chain is a nested agent. LangGraph runs a compiled graph used as a node, or invoked inside
 * a node's function (a supervisor's expert, a `createReactAgent` / `createAgent` agent, a
 * subgraph), as a chain run whose serialized id is `["langgraph", "pregel", <graph class>]` under
 * the node's run, named for the graph (`compile({ name })`, `withConfig({ runName })`, else
 * "LangGraph"); its own nodes carry a `langgraph_checkpoint_ns` one `|` deeper. Measured with
 * @langchain/langgraph 1.7.3 and langchain 1.5.14.
 */

/** Whether a chain started under another run is a compiled LangGraph graph (a nested agent), unless tagged hidden. */
export function isNestedAgent(serialized: unknown, tags: unknown): boolean {
  const id = dict(serialized).id;
  if (!(Array.isArray(id) && id[0] === "langgraph" && id[1] === "pregel")) return false;
  return !(Array.isArray(tags) && tags.includes("langsmith:hidden"));
}

/**
 * A nested agent's name: the graph's own name, or, when that is a generic default ("LangGraph"),
 * the name of the tool or node it runs in, so that subgraphs in different nodes stay apart.
 * (Run metadata `agent_name` names root agents only: child runs inherit their caller's metadata.)
 */
export function nestedAgentName(runName: string, md: Dict, parent: RunRecord): string {
  if (!isGenericName(runName)) return runName;
  if (parent.kind === "tool") return parent.name;
  return text(md.langgraph_node) ?? parent.node ?? runName;
}
