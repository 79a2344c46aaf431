import type { Profiler } from "node:inspector";
import { Session } from "node:inspector/promises";

/** Where a profiled function's code lives: an npm package, one of agentwatch's source folders, Node, or V8's own work. */
export function componentOf(url: string, functionName: string): string {
  if (url === "") return functionName === "(garbage collector)" ? "garbage collector" : "V8 and natives";
  const pkg = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]; // the innermost, for nested installs
  if (pkg !== undefined) return pkg.startsWith("@opentelemetry/") ? "@opentelemetry/*" : pkg;
  const own = /\/packages\/middleware\/(?:dist|src)\/(?:([^/]+)\/)?/.exec(url); // by its top folder
  if (own !== null) return `agentwatch ${own[1] === undefined ? "src" : `${own[1]}/`}`;
  if (url.startsWith("node:")) return "node";
  if (url.includes("/bench/dist/") || url.includes("/bench/src/")) return "bench";
  const workspace = /\/packages\/([^/]+)\//.exec(url)?.[1];
  return workspace !== undefined ? `@agentwatch/${workspace}` : "other";
}

/** µs of self time per invoke, by component and by function, over the profiled batches of one variant. */
export interface ProfileTally {
  invokes: number;
  wallMs: number;
  byComponent: Map<string, number>;
  byFunction: Map<string, number>;
}

function emptyTally(): ProfileTally {
  return { invokes: 0, wallMs: 0, byComponent: new Map(), byFunction: new Map() };
}

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

/** Adds one CPU profile's self times (µs) to `tally`. */
export function tallyProfile(tally: ProfileTally, profile: Profiler.Profile): void {
  const selfUs = new Map<number, number>();
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((node, i) => selfUs.set(node, (selfUs.get(node) ?? 0) + (deltas[i] ?? 0)));
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id);
    if (us === undefined) continue;
    const { url, functionName, lineNumber } = node.callFrame;
    const component = componentOf(url, functionName);
    add(tally.byComponent, component, us);
    add(tally.byFunction, `${component} ${url.slice(url.lastIndexOf("/") + 1)}:${lineNumber + 1} ${functionName || "(anonymous)"}`, us);
  }
}

/**
 * Profiles `batch` of each variant with V8's sampling CPU profiler, in one process, `rounds` times
 * in rotating order (as the overhead section interleaves its batches), so what differs between two
 * variants' tallies is what one does that the other does not. The profiler slows everything down
 * alike; compare shares and differences, not the absolute times with the unprofiled section's.
 */
export async function profileVariants(
  names: readonly string[],
  batch: (name: string) => Promise<{ invokes: number; ms: number }>,
  rounds: number,
  intervalUs = 50,
): Promise<Map<string, ProfileTally>> {
  const session = new Session();
  session.connect();
  const tallies = new Map(names.map((name) => [name, emptyTally()]));
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: intervalUs });
    for (const name of names) await batch(name); // warm-up, unprofiled
    for (let round = 0; round < rounds; round++) {
      for (const name of names.map((_, i) => names[(i + round) % names.length] as string)) {
        await session.post("Profiler.start");
        const { invokes, ms } = await batch(name);
        const { profile } = await session.post("Profiler.stop");
        const tally = tallies.get(name) as ProfileTally;
        tally.invokes += invokes;
        tally.wallMs += ms;
        tallyProfile(tally, profile);
      }
    }
  } finally {
    session.disconnect();
  }
  for (const tally of tallies.values()) {
    for (const map of [tally.byComponent, tally.byFunction]) for (const [key, us] of map) map.set(key, us / tally.invokes);
  }
  return tallies;
}

/** `a`'s µs per invoke minus `b`'s, per key, largest first. */
export function difference(a: Map<string, number>, b: Map<string, number>): [string, number][] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].map((key): [string, number] => [key, (a.get(key) ?? 0) - (b.get(key) ?? 0)]).sort((x, y) => y[1] - x[1]);
}

const OWN = "agentwatch ";

/**
 * The report of {@link profileVariants} over the no-op handler, the span floor and agentwatch: what
 * agentwatch adds over each, by component, and its own code's largest functions.
 */
export function profileReport(tallies: Map<string, ProfileTally>, noop: string, floor: string, agentwatch: string): string[] {
  const t = (name: string) => tallies.get(name) as ProfileTally;
  const total = (m: Map<string, number>) => [...m.values()].reduce((sum, us) => sum + us, 0);
  const us = (n: number) => `${n >= 0 ? "+" : ""}${n.toFixed(0)}`;
  const lines = [
    `profiled ms per invoke: ${[noop, floor, agentwatch].map((name) => `${name} ${(t(name).wallMs / t(name).invokes).toFixed(3)}`).join(", ")}`,
  ];
  for (const base of [noop, floor]) {
    const diff = difference(t(agentwatch).byComponent, t(base).byComponent).filter(([, d]) => Math.abs(d) >= 5);
    lines.push(
      `agentwatch over ${base}: ${us(total(t(agentwatch).byComponent) - total(t(base).byComponent))} µs of CPU per invoke; by component (µs, ±5 and more):`,
      `  ${diff.map(([component, d]) => `${component} ${us(d)}`).join(", ")}`,
    );
  }
  const own = [...t(agentwatch).byFunction].filter(([key]) => key.startsWith(OWN)).sort((a, b) => b[1] - a[1]);
  const ownTotal = own.reduce((sum, [, v]) => sum + v, 0);
  const langchain = difference(t(agentwatch).byFunction, t(floor).byFunction).filter(([key]) => /^(@langchain|langsmith)/.test(key));
  lines.push(
    `LangChain code that runs more under agentwatch than under ${floor} (µs): ${langchain
      .slice(0, 6)
      .map(([key, d]) => `${key} ${us(d)}`)
      .join(", ")}`,
    `agentwatch's own code: ${ownTotal.toFixed(0)} µs per invoke in ${own.length} functions; the largest (µs, share of it):`,
    ...own
      .slice(0, 10)
      .map(([key, v]) => `  ${v.toFixed(1).padStart(6)}  ${((v / ownTotal) * 100).toFixed(1).padStart(4)} %  ${key.slice(OWN.length)}`),
  );
  return lines;
}
