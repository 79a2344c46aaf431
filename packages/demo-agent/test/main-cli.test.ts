/**
 * `npm run demo` as a person runs it: the compiled entry point (built by `tsc -b`, which `npm test`
 * runs first) started as a child process. --help explains the flags; a busy port is one clear line.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

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
});
