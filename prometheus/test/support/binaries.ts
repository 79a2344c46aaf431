/** The Debian binaries the Prometheus tests run: found on PATH, or a failure that says how to install them. */
import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { setPriority } from "node:os";
import { delimiter, join } from "node:path";

/** The Debian package that ships each binary (`.ci/run` installs both packages). */
export const DEBIAN_PACKAGE = {
  promtool: "prometheus",
  prometheus: "prometheus",
  amtool: "prometheus-alertmanager",
  "prometheus-alertmanager": "prometheus-alertmanager",
} as const;
export type Binary = keyof typeof DEBIAN_PACKAGE;

/** The absolute path of `name` on PATH. @throws with the apt-get command that installs it: these tests fail, never skip. */
export function requireBinary(name: Binary): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(
    `the \`${name}\` binary is not on PATH: run \`apt-get install ${DEBIAN_PACKAGE[name]}\` (as root; .ci/run installs it in CI). ` +
      "The Prometheus rule tests need it and do not skip without it.",
  );
}

export interface RunResult {
  code: number;
  output: string;
}

/** Runs `binary args` (found with {@link requireBinary}) and resolves with its exit code and combined output. */
export function run(binary: Binary, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  const path = requireBinary(binary);
  return new Promise((resolve) => {
    const child = execFile(
      path,
      [...args],
      { cwd: options.cwd, timeout: options.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ code, output: `${stdout}${stderr}`.trim() });
      },
    );
    // Low CPU priority: on a 2-core CI machine the test workers beside it (some assert timings) keep their CPU.
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, 10);
      } catch {
        // not allowed here: run at normal priority
      }
    }
  });
}
