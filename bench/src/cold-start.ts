/**
 * The cold-start line of `npm run bench`: spawns a FRESH node process (`cold-start-probe.js`) and
 * prints how long the first, second and first non-ASCII check of each built-in guardrail and the
 * first token estimates take there, what creating the guardrails and the handler took (where the
 * warm-up is paid), a check after two idle major GCs, and one right after a major GC of V8's own in
 * a busy process (V8 drops compiled regexes there; the keep-warm run has not yet compiled them
 * again, so the check pays the compile). Says whether any check took over 5 ms, judged on the smaller of its wall and CPU time
 * (both are printed; see `work`). Numbers only; nothing here is a test.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import type { ProbeResult, Timing } from "./cold-start-probe.js";

const LIMIT_MS = 5;
/** The rest of a model call's end, printed for comparison: V8 compiling our code on first use, not a warm-up of ours. */
const REFERENCE = "model call end, usage reported";
const probe = fileURLToPath(new URL("./cold-start-probe.js", import.meta.url));

/**
 * The check's own work, bounded from above by both numbers: wall time also holds what the OS gave to
 * other processes (this machine is shared), process CPU time also holds V8's GC helper threads.
 */
const work = (t: Timing | undefined) => (t === undefined ? 0 : Math.min(t.wallMs, t.cpuMs));
const ms = (t: Timing) => `${t.wallMs.toFixed(2)} ms (cpu ${t.cpuMs.toFixed(1)})`;
const pad = (s: string, n: number) => s.padEnd(n);

/** Runs the probe in a fresh process and returns the lines to print. */
export async function coldStart(): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", probe], { maxBuffer: 1 << 20 });
  const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as ProbeResult;
  const lines = ["cold start (fresh node process; wall time, cpu ms in brackets)"];
  for (const [what, t] of Object.entries(result.setup)) lines.push(`  ${pad(what, 34)}${ms(t)}`);
  const columns = ["first", "second", "firstNonAscii", "afterIdleGcs", "afterBusyGc"];
  lines.push(`  ${pad("check", 34)}${columns.map((c) => pad(c, 26)).join("")}`);
  const over: string[] = [];
  for (const [name, row] of Object.entries(result.checks)) {
    lines.push(`  ${pad(name, 34)}${columns.map((c) => pad(row[c] === undefined ? "-" : ms(row[c]), 26)).join("")}`);
    if (name === REFERENCE) continue;
    for (const c of columns) if (work(row[c]) > LIMIT_MS) over.push(`${name} ${c}`);
  }
  lines.push(
    `  any guardrail check or token estimate over ${LIMIT_MS} ms (the smaller of wall and cpu): ${over.length === 0 ? "none" : `YES (${over.join(", ")})`}` +
      ` (the "${REFERENCE}" row is for comparison)`,
  );
  return lines;
}
