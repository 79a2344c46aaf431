/**
 * OTLP/HTTP trace endpoints with faults, run as a child process of `npm run bench:faults` so their
 * work is not on the measured event loop. Sends the parent `{ healthy, hanging, error500, slow,
 * refusing }` ports; `slow` answers after SLOW_MS (argv[2], default 2000).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FaultPorts = Record<"healthy" | "hanging" | "error500" | "slow" | "refusing", number>;

const slowMs = Number(process.argv[2] ?? 2000);

function listen(answer: (res: ServerResponse) => void): Promise<number> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on("end", () => answer(res));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

const ok = (res: ServerResponse) => res.writeHead(200, { "content-type": "application/x-protobuf" }).end();

/** A port nothing listens on: bound, then closed. */
async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const ports: FaultPorts = {
  healthy: await listen(ok),
  hanging: await listen(() => undefined),
  error500: await listen((res) => res.writeHead(500).end()),
  slow: await listen((res) => setTimeout(() => ok(res), slowMs)),
  refusing: await refusingPort(),
};
process.send?.(ports);
process.on("disconnect", () => process.exit(0));
