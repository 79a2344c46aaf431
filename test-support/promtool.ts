/** `promtool check metrics` (Debian's `prometheus` package) on an exposition: found on PATH, or a failure saying how to install it. */
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** The absolute path of `promtool` on PATH. @throws with the apt-get command that installs it: the test fails, never skips. */
export function requirePromtool(): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, "promtool");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(
    "the `promtool` binary is not on PATH: run `apt-get install prometheus` (as root; .ci/run installs it in CI). " +
      "The /metrics lint test needs it and does not skip without it.",
  );
}

/** Pipes `exposition` (Prometheus text format) into `promtool check metrics`; resolves with its exit code and combined output. */
export function promtoolCheckMetrics(exposition: string): Promise<{ code: number; output: string }> {
  const child = spawn(requirePromtool(), ["check", "metrics"], { stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const done = new Promise<{ code: number; output: string }>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? 1, output: output.trim() }));
  });
  child.stdin.end(exposition);
  return done;
}
