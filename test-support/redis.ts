/**
 * Test harness: a real Redis (Debian's `redis-server`) as a child process on 127.0.0.1 at a free
 * port, with no persistence (`--save '' --appendonly no`), for tests of the shared store.
 *
 * `.ci/run` installs `redis-server`; when it is missing, starting it throws: tests fail, never skip.
 */
import { createConnection } from "node:net";

import { Child, freePort, requireBinary } from "./prometheus.js";

export interface RedisServer {
  port: number;
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill: () => Promise<void>;
  /** Starts it again on the same port (empty: nothing was persisted). */
  restart: () => Promise<void>;
  /** Stops it for good (SIGTERM, then SIGKILL). */
  stop: () => Promise<void>;
}

/** Starts `redis-server` on a free loopback port and waits until it answers PING. */
export async function startRedis(options: { readyTimeoutMs?: number } = {}): Promise<RedisServer> {
  const binary = requireBinary("redis-server", "redis-server");
  const port = await freePort();
  const timeoutMs = options.readyTimeoutMs ?? 15_000;
  const spawnOne = async () => {
    const child = new Child("redis-server", binary, [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--protected-mode",
      "yes",
    ]);
    await waitForPing(child, port, timeoutMs);
    return child;
  };
  let child = await spawnOne();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: async () => {
      child.proc.kill("SIGKILL");
      await child.stop(0);
    },
    restart: async () => {
      await child.stop(1_000);
      child = await spawnOne();
    },
    stop: () => child.stop(2_000),
  };
}

/** Sends PING in the Redis protocol until +PONG comes back. */
async function waitForPing(child: Child, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null)
      throw new Error(`redis-server exited before it was ready. Its output:\n${child.tail()}`);
    try {
      if (await ping(port)) return;
      last = "no PONG";
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server was not ready on port ${port} within ${timeoutMs} ms (last: ${last}). Its output:\n${child.tail()}`);
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    socket.setTimeout(1_000, () => socket.destroy(new Error("PING timed out")));
    socket.once("error", reject);
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString("utf8");
      if (reply.includes("\r\n")) {
        socket.end();
        resolve(reply.startsWith("+PONG"));
      }
    });
  });
}
