import { isLoopbackAddress } from "./admin.js";
import { INCIDENT_NAMES, type IncidentName, isIncidentName } from "./incidents.js";

/** Options of `npm run load`. */
export interface LoadOptions {
  /** Requests per second (Poisson arrivals with this mean rate). */
  rps: number;
  /** How long to send requests, in ms. */
  durationMs: number;
  /** Incidents to start on the server for the run (and stop after it). */
  incidents: IncidentName[];
  /** The demo server's base URL. */
  url: string;
  /** Seed of the question mix, arrivals and simulated feedback. */
  seed: number;
  /** Requests in flight at most; arrivals beyond it are skipped and counted. */
  maxInFlight: number;
  /** Share of answers that get simulated feedback. */
  feedbackRate: number;
  /** Per-request timeout, in ms. */
  timeoutMs: number;
}

/** Upper bounds that keep a load run finite. */
export const LOAD_LIMITS = { maxRps: 200, maxDurationMs: 3_600_000, maxRequests: 100_000, maxInFlight: 1000 } as const;

export const LOAD_USAGE =
  "usage: npm run load -- [--rps N] [--duration 2m] [--incident NAME]... [--url http://127.0.0.1:3000] [--allow-remote] [--seed N] [--max-in-flight N] [--feedback-rate 0.2] [--timeout 30s]";

/** A duration such as "90", "90s", "2m", "1m30s", "500ms" or "1h", in ms; undefined when it is not one. */
export function parseDuration(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim().toLowerCase();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  return parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2] as keyof typeof unit], 0);
}

/** `ms` as "2m0s", "45s" or "1.5s". */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${Math.round((ms - minutes * 60_000) / 1000)}s`;
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || isLoopbackAddress(hostname);
}

/** Parses `npm run load` arguments (LOAD_URL sets the default URL); errors name the flag and the fix. */
export function parseLoadArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): LoadOptions {
  const options: LoadOptions = {
    rps: 5,
    durationMs: 60_000,
    incidents: [],
    url: env.LOAD_URL || "http://127.0.0.1:3000",
    seed: 1,
    maxInFlight: 64,
    feedbackRate: 0.2,
    timeoutMs: 30_000,
  };
  let allowRemote = false;
  const bad = (flag: string, want: string, raw: string | undefined): never => {
    throw new Error(`${flag} ${want}, got ${JSON.stringify(raw ?? "")}. ${LOAD_USAGE}`);
  };
  const number = (flag: string, raw: string | undefined, min: number, max: number, want: string): number => {
    const n = Number(raw);
    if (raw === undefined || raw.trim() === "" || !Number.isFinite(n) || n < min || n > max) bad(flag, want, raw);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i];
    if (arg === "--rps") {
      const raw = value();
      options.rps = number(
        "--rps",
        raw,
        Number.MIN_VALUE,
        LOAD_LIMITS.maxRps,
        `must be a number above 0 and at most ${LOAD_LIMITS.maxRps}`,
      );
    } else if (arg === "--duration") {
      const raw = value();
      const ms = parseDuration(raw);
      if (ms === undefined || ms < 1000 || ms > LOAD_LIMITS.maxDurationMs)
        bad("--duration", "must be a duration from 1s to 1h such as 90s, 2m or 1m30s", raw);
      options.durationMs = ms as number;
    } else if (arg === "--incident") {
      const raw = value();
      if (!isIncidentName(raw)) bad("--incident", `needs one of ${INCIDENT_NAMES.join(", ")} (repeat the flag for several)`, raw);
      if (!options.incidents.includes(raw as IncidentName)) options.incidents.push(raw as IncidentName);
    } else if (arg === "--url") {
      const raw = value();
      if (!raw) bad("--url", "needs the demo server's address, e.g. http://127.0.0.1:3000", raw);
      options.url = raw as string;
    } else if (arg === "--allow-remote") allowRemote = true;
    else if (arg === "--seed") {
      const raw = value();
      const n = number("--seed", raw, 0, Number.MAX_SAFE_INTEGER, "must be a whole number >= 0");
      if (!Number.isInteger(n)) bad("--seed", "must be a whole number >= 0", raw);
      options.seed = n;
    } else if (arg === "--max-in-flight") {
      const raw = value();
      const n = number("--max-in-flight", raw, 1, LOAD_LIMITS.maxInFlight, `must be a whole number from 1 to ${LOAD_LIMITS.maxInFlight}`);
      if (!Number.isInteger(n)) bad("--max-in-flight", `must be a whole number from 1 to ${LOAD_LIMITS.maxInFlight}`, raw);
      options.maxInFlight = n;
    } else if (arg === "--feedback-rate") {
      options.feedbackRate = number("--feedback-rate", value(), 0, 1, "must be a share from 0 to 1 (0.2 rates one answer in five)");
    } else if (arg === "--timeout") {
      const raw = value();
      const ms = parseDuration(raw);
      if (ms === undefined || ms < 100 || ms > 300_000) bad("--timeout", "must be a duration from 100ms to 5m such as 30s", raw);
      options.timeoutMs = ms as number;
    } else if (arg === "--help" || arg === "-h") throw new Error(LOAD_USAGE);
    else throw new Error(`unknown flag ${JSON.stringify(arg)}. ${LOAD_USAGE}`);
  }
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    return bad("--url", "must be an http:// or https:// URL such as http://127.0.0.1:3000", options.url);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") bad("--url", "must be an http:// or https:// URL", options.url);
  if (!allowRemote && !isLoopbackHost(url.hostname)) {
    bad(
      "--url",
      "must point at this machine (localhost, 127.0.0.1 or [::1]); add --allow-remote to load another host you own",
      options.url,
    );
  }
  options.url = url.origin;
  const total = options.rps * (options.durationMs / 1000);
  if (total > LOAD_LIMITS.maxRequests) {
    throw new Error(
      `--rps × --duration would send about ${Math.round(total)} requests; the limit is ${LOAD_LIMITS.maxRequests}: lower --rps or --duration. ${LOAD_USAGE}`,
    );
  }
  return options;
}
