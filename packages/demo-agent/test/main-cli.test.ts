/**
 * `npm run demo` as a person runs it: the compiled entry point (built by `tsc -b`, which `npm test`
 * runs first) started as a child process. --help explains the flags; a busy port is one clear line;
 * `--once` prints one tree per request (no start-up trace), readable numbers, and marks a failed request;
 * after a short load its /metrics serves canaries, drift and conversation outcomes.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { runLoad } from "../src/load-runner.js";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

function runDemo(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npx tsc -b\` (npm test does) before this test`);
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : null, stdout, stderr });
    });
  });
}

describe("npm run demo, the command line", () => {
  it("prints the flags for --help and exits 0", async () => {
    const { code, stdout } = await runDemo(["--help"]);
    expect(code).toBe(0);
    for (const flag of ["--port", "--host", "--once", "--incident", "--speed", "--seed"]) expect(stdout).toContain(flag);
  });

  it("says in one line that the port is busy and how to pick another, exit code 2", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const { code, stderr } = await runDemo(["--port", String(port), "--once"]);
      expect(code).toBe(2);
      expect(stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(stderr).toContain("--port");
      expect(stderr).not.toContain("node:net");
    } finally {
      busy.close();
    }
  });

  it("prints one trace tree per request, none at start-up, and numbers without float noise", async () => {
    const { code, stdout } = await runDemo(["--once", "--port", "0", "--speed", "50"]);
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    // The knowledge base is indexed at boot: that is no request, so no tree before the banner.
    expect(lines.findIndex((l) => l.startsWith("trace "))).toBeGreaterThan(lines.findIndex((l) => l.startsWith("Acme support agent")));
    const roots = lines.flatMap((l, i) => (l.startsWith("trace ") ? [lines[i + 1] ?? ""] : []));
    expect(roots).toHaveLength(3);
    for (const root of roots) expect(root).toMatch(/^ {2}POST \/chat {2}/);
    // No number with more than six significant digits, such as 0.00013237499999999998.
    expect(stdout.match(/\d*\.\d*[1-9]\d{6,}/g) ?? []).toEqual([]);
    expect(stdout).toMatch(/agentwatch_cost_usd_total\{[^}]*\} 0\.\d+\n/);
  });

  it("marks the tree of a request that answered 502 with ✗, the status and the error type", async () => {
    // The agent retries a 429 once, so most sample requests survive error-burst: seed 3 fails two of them.
    const { code, stdout } = await runDemo(["--once", "--port", "0", "--speed", "50", "--incident", "error-burst", "--seed", "3"]);
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    const failed = lines.flatMap((l) => /^< HTTP 502: .*\[trace ([0-9a-f]{32})\]$/.exec(l)?.[1] ?? []);
    expect(failed.length).toBeGreaterThan(0);
    for (const traceId of failed) {
      const root = lines[lines.indexOf(`trace ${traceId}`) + 1];
      expect(root).toMatch(/^ {2}✗ POST \/chat {2}\d+\.\dms {2}\(HTTP 502, ERROR \w+\)$/);
    }
    const succeeded = lines.flatMap((l) => (/^< (?!HTTP)/.test(l) ? (/\[trace ([0-9a-f]{32})\]$/.exec(l)?.[1] ?? []) : []));
    for (const traceId of succeeded) expect(lines[lines.indexOf(`trace ${traceId}`) + 1]).not.toContain("✗");
  });

  it("serves agentwatch_canary_*, agentwatch_drift_* and agentwatch_conversation_* after a short load, with its defaults", async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npx tsc -b\` (npm test does) before this test`);
    // Defaults but time: canary rounds every second, conversations abandoned after half a second.
    const child = spawn(process.execPath, [MAIN, "--port", "0", "--speed", "50", "--canary-interval", "1000"], {
      env: { ...process.env, DEMO_ABANDON_AFTER_MS: "500", REDIS_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let out = "";
      const base = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
          if (url !== undefined) resolve(url);
        });
        child.once("exit", (code) => reject(new Error(`the demo exited with ${code}: ${out}`)));
      });
      // 60+ questions: the first 40 of each drift signal become its reference, the rest are tested against it.
      const quiet = { write: () => {}, interactive: false, adminToken: undefined };
      await runLoad(
        { rps: 25, durationMs: 3_000, incidents: [], url: base, seed: 9, maxInFlight: 32, feedbackRate: 0.2, timeoutMs: 10_000 },
        quiet,
      );
      const families = [
        "agentwatch_canary_checks_total",
        "agentwatch_drift_p_value",
        "agentwatch_drift_score",
        "agentwatch_conversation_outcomes_total",
      ];
      const missing = async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return families.filter((f) => !new RegExp(`^${f}\\{`, "m").test(text));
      };
      // Drift is tested every 5 s: the reference at one test, the current window at the next.
      const deadline = Date.now() + 30_000;
      let left = await missing();
      while (left.length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        left = await missing();
      }
      expect(left).toEqual([]);
    } finally {
      child.kill("SIGTERM");
    }
  }, 60_000);
});
