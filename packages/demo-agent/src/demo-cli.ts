import { INCIDENT_NAMES, type IncidentName, isIncidentName } from "./incidents.js";

/** Command-line options of `npm run demo`. */
export interface DemoOptions {
  port: number;
  host: string;
  /** Exit after the sample conversations instead of serving. */
  once: boolean;
  /** Incidents active from the start. */
  incidents: IncidentName[];
  /** Divides every simulated delay. */
  speed: number;
  /** Seed of the scripted model's latency and failures. */
  seed: number;
  /** Canary probes of the agent's own graph (on by default). */
  canaries: boolean;
  /** Time between canary rounds, ms. */
  canaryIntervalMs: number;
}

const USAGE =
  "usage: npm run demo -- [--port N] [--host ADDRESS] [--once] [--incident NAME]... [--speed N] [--seed N] [--no-canaries] [--canary-interval MS] (--help explains them)";

/** What `npm run demo -- --help` prints. */
export const DEMO_HELP = [
  "npm run demo -- [flags]: the Acme support agent with agentwatch, an offline scripted model, metrics and traces.",
  "",
  "  --port N         port to listen on (or PORT; default 3000, 0 picks a free one)",
  "  --host ADDRESS   address to listen on (or HOST; default 127.0.0.1)",
  "  --once           exit after the sample conversations instead of serving",
  `  --incident NAME  start with an incident active, repeatable: ${INCIDENT_NAMES.join(", ")}`,
  "  --speed N        divide every simulated delay by N (default 1)",
  "  --seed N         seed of the scripted model's latency and failures (default 1)",
  "  --no-canaries    do not run the canary probes (or CANARIES=off; default on: eval/canaries.jsonl, in process)",
  "  --canary-interval MS  time between canary rounds (or CANARY_INTERVAL_MS; default 30000)",
  "  --help, -h       print this and exit",
].join("\n");

/** The help text when `argv` asks for it (`--help` or `-h` anywhere), else undefined. */
export function demoHelp(argv: readonly string[]): string | undefined {
  return argv.some((arg) => arg === "--help" || arg === "-h") ? DEMO_HELP : undefined;
}

/** Parses argv (flags override the PORT and HOST environment variables); errors name the flag and the fix. */
export function parseDemoArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DemoOptions {
  const options: DemoOptions = {
    port: 3000,
    host: "127.0.0.1",
    once: false,
    incidents: [],
    speed: 1,
    seed: 1,
    canaries: true,
    canaryIntervalMs: 30_000,
  };
  const interval = (raw: string | undefined, from: string): number => {
    const n = Number(raw);
    if (raw === undefined || raw === "" || !Number.isFinite(n) || n < 100) {
      throw new Error(`${from} must be a number of milliseconds >= 100 (e.g. 30000), got ${JSON.stringify(raw ?? "")}. ${USAGE}`);
    }
    return n;
  };
  if (env.CANARIES !== undefined) {
    const v = env.CANARIES.trim().toLowerCase();
    if (!["on", "off", "1", "0", "true", "false"].includes(v))
      throw new Error(`CANARIES must be "on" or "off", got ${JSON.stringify(env.CANARIES)}. ${USAGE}`);
    options.canaries = ["on", "1", "true"].includes(v);
  }
  if (env.CANARY_INTERVAL_MS !== undefined) options.canaryIntervalMs = interval(env.CANARY_INTERVAL_MS, "CANARY_INTERVAL_MS");
  const port = (raw: string | undefined, from: string): number => {
    const n = Number(raw);
    if (raw === undefined || raw === "" || !Number.isInteger(n) || n < 0 || n > 65535) {
      throw new Error(`${from} must be a port number from 0 to 65535 (0 picks a free one), got ${JSON.stringify(raw ?? "")}. ${USAGE}`);
    }
    return n;
  };
  if (env.PORT !== undefined) options.port = port(env.PORT, "PORT");
  if (env.HOST) options.host = env.HOST;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--port") options.port = port(argv[++i], "--port");
    else if (arg === "--host") {
      const host = argv[++i];
      if (!host) throw new Error(`--host needs an address such as 127.0.0.1 or 0.0.0.0. ${USAGE}`);
      options.host = host;
    } else if (arg === "--once") options.once = true;
    else if (arg === "--no-canaries") options.canaries = false;
    else if (arg === "--canary-interval") options.canaryIntervalMs = interval(argv[++i], "--canary-interval");
    else if (arg === "--incident") {
      const name = argv[++i];
      if (!isIncidentName(name)) {
        throw new Error(
          `--incident needs one of ${INCIDENT_NAMES.join(", ")}, got ${JSON.stringify(name ?? "")}; repeat the flag for several. ${USAGE}`,
        );
      }
      if (!options.incidents.includes(name)) options.incidents.push(name);
    } else if (arg === "--speed") {
      const raw = argv[++i];
      const n = Number(raw);
      if (raw === undefined || raw === "" || !Number.isFinite(n) || n <= 0 || n > 100_000) {
        throw new Error(
          `--speed must be a number above 0 and at most 100000 (50 makes every delay 50 times shorter), got ${JSON.stringify(raw ?? "")}. ${USAGE}`,
        );
      }
      options.speed = n;
    } else if (arg === "--seed") {
      const raw = argv[++i];
      const n = Number(raw);
      if (raw === undefined || raw === "" || !Number.isSafeInteger(n) || n < 0) {
        throw new Error(`--seed must be a whole number >= 0, got ${JSON.stringify(raw ?? "")}. ${USAGE}`);
      }
      options.seed = n;
    } else throw new Error(`unknown flag ${JSON.stringify(arg)}. ${USAGE}`);
  }
  return options;
}
