import cliProgress from "cli-progress";

/** Ticks once per finished sample. */
export interface Progress {
  tick(failed: boolean): void;
  stop(): void;
}

/**
 * A cli-progress bar on stderr ("cases 12/40 | 3 failed | ETA 8s") when `enabled` (default: stderr
 * is a TTY); otherwise silent, so CI logs and piped output stay clean.
 */
export function createProgress(total: number, enabled: boolean = process.stderr.isTTY === true): Progress {
  if (!enabled) return { tick() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: "samples {bar} {value}/{total} | {failed} failed | ETA {eta_formatted}",
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let failed = 0;
  bar.start(total, 0, { failed });
  return {
    tick(isFailure) {
      if (isFailure) failed++;
      bar.increment(1, { failed });
    },
    stop: () => bar.stop(),
  };
}
