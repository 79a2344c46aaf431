/**
 * LangChain reports a callback handler's error with `console.error` / `console.warn` ("Error in
 * handler AgentWatchHandler, handleToolStart: ..."). The soak's aborting guards make LangChain log
 * one such line per stopped call, by design; anything else written there means a handler (or the
 * agent) misbehaved. This counts both kinds instead of letting thousands of lines scroll by.
 */
export class ConsoleTally {
  /** Lines that matched the expected pattern. */
  expected = 0;
  /** Lines that did not, and the first few of them. */
  other = 0;
  readonly otherSamples: string[] = [];
  private restore: (() => void) | undefined;

  constructor(private readonly isExpected: (line: string) => boolean) {}

  /** Replaces `console.error` and `console.warn` until {@link uninstall}. */
  install(): void {
    const { error, warn } = console;
    const tally = (...args: unknown[]) => {
      const line = args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(" ");
      if (this.isExpected(line)) {
        this.expected++;
        return;
      }
      this.other++;
      if (this.otherSamples.length < 5) this.otherSamples.push(line.slice(0, 300));
    };
    console.error = tally;
    console.warn = tally;
    this.restore = () => {
      console.error = error;
      console.warn = warn;
    };
  }

  uninstall(): void {
    this.restore?.();
    this.restore = undefined;
  }
}

/** What LangChain logs when an aborting guard stops a model or tool call. */
export const isGuardAbortLog = (line: string): boolean =>
  /^Error in handler AgentWatchHandler, handle\w+Start: AgentBudgetExceededError: /.test(line);
