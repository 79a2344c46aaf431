import { BaseCallbackHandler } from "@langchain/core/callbacks/base";

/** What the soak meant an invocation to do. */
export type InvocationKind = "normal" | "failing" | "abandoned";

/** Counts by invocation kind. */
export type ByKind = Record<InvocationKind, number>;

const zero = (): ByKind => ({ normal: 0, failing: 0, abandoned: 0 });

interface Invocation {
  id: string;
  kind: InvocationKind;
  /** Ids of this invocation's runs that LangChain has started and not ended. */
  open: Set<string>;
}

interface OpenRun {
  startMs: number;
  invocation: Invocation;
}

/**
 * LangChain's own account of the soak's runs, independent of agentwatch: a callback handler (awaited,
 * like agentwatch's, so both see every start and end at the same moment) that tracks which runs of
 * which invocation are open. A run open longer than `windowMs` is moved out as *stale*: it is one
 * agentwatch must have evicted. Memory stays bounded: stale and settled runs are dropped.
 */
export class RunLedger extends BaseCallbackHandler {
  name = "SoakRunLedger";
  /** LangChain runs started under the soak's invocations. */
  started = 0;
  /** Runs moved out as stale (open longer than the window), by invocation kind. */
  readonly stale: ByKind = zero();
  /** Runs LangChain never ended although their invocation settled (e.g. a start a guard aborted), by kind. */
  readonly leftAtSettle: ByKind = zero();
  /** Starts under no known invocation or open parent (expected 0). */
  unknownStarts = 0;
  /** Ends of runs not open here: already stale, or never seen (expected 0). */
  unknownEnds = 0;
  /** Runs that ended after more than the TTL: agentwatch may have evicted them while they ran (a stalled process). */
  endedPastTtl = 0;
  private readonly invocations = new Map<string, Invocation>();
  /** Open runs in start order, so the oldest are first. */
  private readonly open = new Map<string, OpenRun>();

  constructor(
    private readonly windowMs: number,
    private readonly ttlMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    super({ _awaitHandler: true });
  }

  /** Open runs younger than the window. */
  get liveOpen(): number {
    return this.open.size;
  }

  /** Registers an invocation by the run id its root run will have (`config.runId`). */
  expect(rootRunId: string, kind: InvocationKind): void {
    this.invocations.set(rootRunId, { id: rootRunId, kind, open: new Set() });
  }

  /** A normal or failing invocation settled: whatever LangChain left open in it will never end. */
  settled(rootRunId: string): void {
    const invocation = this.invocations.get(rootRunId);
    if (invocation === undefined) return;
    this.leftAtSettle[invocation.kind] += invocation.open.size;
    for (const id of invocation.open) this.open.delete(id);
    this.invocations.delete(rootRunId);
  }

  /** Moves runs open longer than the window (plus `extraMs`) out as stale. */
  sweep(extraMs = 0): void {
    const now = this.now();
    for (const [id, run] of this.open) {
      if (now - run.startMs <= this.windowMs + extraMs) break;
      this.open.delete(id);
      this.stale[run.invocation.kind]++;
      this.forget(run.invocation, id);
    }
  }

  private start(args: unknown[]): void {
    const [runId, parentRunId] = [args[2], args[3]];
    if (typeof runId !== "string") return;
    const invocation =
      parentRunId === undefined || parentRunId === null ? this.invocations.get(runId) : this.open.get(parentRunId as string)?.invocation;
    if (invocation === undefined) {
      this.unknownStarts++;
      return;
    }
    this.started++;
    this.open.set(runId, { startMs: this.now(), invocation });
    invocation.open.add(runId);
  }

  private end(runId: string): void {
    const run = this.open.get(runId);
    if (run === undefined) {
      this.unknownEnds++;
      return;
    }
    this.open.delete(runId);
    if (this.now() - run.startMs > this.ttlMs) this.endedPastTtl++;
    this.forget(run.invocation, runId);
  }

  private forget(invocation: Invocation, runId: string): void {
    invocation.open.delete(runId);
    // No run can start under an invocation with nothing open (a child needs an open parent).
    if (invocation.open.size === 0 && invocation.kind === "abandoned") this.invocations.delete(invocation.id);
  }

  // LangChain calls every start as (serialized, input, runId, parentRunId, ...), whatever the .d.ts says.
  override async handleChainStart(...args: unknown[]): Promise<void> {
    this.start(args);
  }
  override async handleChatModelStart(...args: unknown[]): Promise<void> {
    this.start(args);
  }
  override async handleLLMStart(...args: unknown[]): Promise<void> {
    this.start(args);
  }
  override async handleToolStart(...args: unknown[]): Promise<void> {
    this.start(args);
  }
  override async handleRetrieverStart(...args: unknown[]): Promise<void> {
    this.start(args);
  }
  override async handleChainEnd(_outputs: unknown, runId: string): Promise<void> {
    this.end(runId);
  }
  override async handleChainError(_error: unknown, runId: string): Promise<void> {
    this.end(runId);
  }
  override async handleLLMEnd(_output: unknown, runId: string): Promise<void> {
    this.end(runId);
  }
  override async handleLLMError(_error: unknown, runId: string): Promise<void> {
    this.end(runId);
  }
  override async handleToolEnd(_output: unknown, runId: string): Promise<void> {
    this.end(runId);
  }
  override async handleToolError(_error: unknown, runId: string): Promise<void> {
    this.end(runId);
  }
  override async handleRetrieverEnd(_documents: unknown, runId: string): Promise<void> {
    this.end(runId);
  }
  override async handleRetrieverError(_error: unknown, runId: string): Promise<void> {
    this.end(runId);
  }
}
