import { clipText } from "./values.js";

/**
 * Safe readers of LangGraph `Command`s: a node's output (`new Command({ goto, update })`), the
 * command a `ParentCommand` carries up to the parent graph, and a resume input
 * (`new Command({ resume })`). They are read by shape (`lg_name`), never by class, so two copies
 * of @langchain/langgraph (or none) make no difference, and a getter that throws reads as nothing.
 */

/** LangGraph's END node: a goto there finishes the graph, it hands off to no one. */
const END = "__end__";
/** `Command.PARENT`: the graph a command addressed to the parent graph names. */
const PARENT = "__parent__";
/** Targets read from one command (or one list of them): a `Send` fan-out can be any length. */
const MAX_TARGETS = 16;

function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

function lgName(value: unknown): unknown {
  return typeof value === "object" && value !== null ? (value as { lg_name?: unknown }).lg_name : undefined;
}

/** The node a goto entry names: a node name, or a `Send`'s node. */
function targetOf(entry: unknown): string | undefined {
  const name = lgName(entry) === "Send" ? (entry as { node?: unknown }).node : entry;
  return typeof name === "string" && name !== "" && name !== END ? clipText(name) : undefined;
}

/** Adds the targets of one command's `goto` (a name, a `Send`, or a list of them) to `out`. */
function addTargets(command: unknown, out: string[]): void {
  const goto = (command as { goto?: unknown }).goto;
  const entries: unknown[] = Array.isArray(goto) ? goto : [goto];
  for (const entry of entries) {
    if (out.length >= MAX_TARGETS) return;
    const target = targetOf(entry);
    if (target !== undefined) out.push(target);
  }
}

/**
 * The nodes a node's output hands control to in its own graph: the goto targets of a `Command`
 * it returned (or of the commands in a list it returned, as a ToolNode does), each `Send` counted,
 * END left out. Empty for any other output, and for a command addressed to the parent graph
 * (LangGraph raises that one as a `ParentCommand`: see {@link parentCommandTargets}).
 */
export function returnedCommandTargets(output: unknown): string[] {
  return safely(() => {
    const out: string[] = [];
    const items: unknown[] = Array.isArray(output) ? output.slice(0, MAX_TARGETS) : [output];
    for (const item of items) {
      if (lgName(item) !== "Command" || (item as { graph?: unknown }).graph === PARENT) continue;
      addTargets(item, out);
    }
    return out;
  }, []);
}

/** The goto targets of the command a `ParentCommand` error carries to the parent graph; undefined for any other error. */
export function parentCommandTargets(error: unknown): string[] | undefined {
  return safely(() => {
    if (typeof error !== "object" || error === null || (error as { name?: unknown }).name !== "ParentCommand") return undefined;
    const command = (error as { command?: unknown }).command;
    const out: string[] = [];
    if (typeof command === "object" && command !== null) addTargets(command, out);
    return out;
  }, undefined);
}

/** Whether a run's input is `new Command({ resume })`: a run resuming an interrupted one on its thread. */
export function isResumeCommand(inputs: unknown): boolean {
  return safely(() => lgName(inputs) === "Command" && (inputs as { resume?: unknown }).resume !== undefined, false);
}
