/** What a soak does. */
export interface SoakOptions {
  /** Agent invocations to run (fewer if the time bound is reached first). */
  invocations: number;
  /** Invocations in flight at once. */
  concurrency: number;
  /** The handler's `runTtlMs`: short, so abandoned runs are evicted during the soak. */
  ttlMs: number;
  /** Time bound in seconds: no invocation starts after it (the soak then drains and checks). */
  seconds: number;
  /** Seed of the invocation mix, questions and metadata. */
  seed: number;
  /** Fewest LangChain runs for a valid soak (0: no minimum). */
  minRuns: number;
  /** Measure heap after GC at 20 % and at the end (needs `node --expose-gc`). */
  heap: boolean;
}

export const DEFAULT_SOAK_OPTIONS: Readonly<SoakOptions> = Object.freeze({
  invocations: 30_000,
  concurrency: 12,
  ttlMs: 1500,
  seconds: 600,
  seed: 1,
  minRuns: 100_000,
  heap: true,
});

export const SOAK_USAGE =
  "usage: npm run soak -- [--invocations N] [--concurrency N] [--ttl-ms N] [--seconds N] [--seed N]\n" +
  `  defaults: --invocations ${DEFAULT_SOAK_OPTIONS.invocations} --concurrency ${DEFAULT_SOAK_OPTIONS.concurrency} ` +
  `--ttl-ms ${DEFAULT_SOAK_OPTIONS.ttlMs} --seconds ${DEFAULT_SOAK_OPTIONS.seconds} --seed ${DEFAULT_SOAK_OPTIONS.seed}`;

/** A bad flag; the message names it and says what to pass instead. */
export class SoakUsageError extends Error {
  constructor(message: string) {
    super(`${message}\n${SOAK_USAGE}`);
    this.name = "SoakUsageError";
  }
}

const FLAGS = {
  "--invocations": { key: "invocations", min: 1, max: 10_000_000, example: "100000" },
  "--concurrency": { key: "concurrency", min: 1, max: 256, example: "12" },
  "--ttl-ms": { key: "ttlMs", min: 100, max: 60_000, example: "1500" },
  "--seconds": { key: "seconds", min: 1, max: 86_400, example: "600" },
  "--seed": { key: "seed", min: 0, max: 2 ** 32 - 1, example: "1" },
} as const satisfies Record<string, { key: keyof SoakOptions; min: number; max: number; example: string }>;

type Flag = keyof typeof FLAGS;
const isFlag = (name: string): name is Flag => Object.hasOwn(FLAGS, name);

/** Parses `npm run soak` arguments (`--flag N` or `--flag=N`); throws a {@link SoakUsageError} naming a bad flag. */
export function parseSoakArgs(argv: readonly string[]): SoakOptions {
  const options: SoakOptions = { ...DEFAULT_SOAK_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!isFlag(name)) {
      throw new SoakUsageError(`unknown flag ${JSON.stringify(arg)}; the flags are ${Object.keys(FLAGS).join(", ")}`);
    }
    const spec = FLAGS[name];
    const raw = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    const value = raw === undefined || raw.trim() === "" ? Number.NaN : Number(raw);
    if (!Number.isInteger(value) || value < spec.min || value > spec.max) {
      throw new SoakUsageError(
        `${name} needs a whole number from ${spec.min} to ${spec.max}, got ${raw === undefined ? "nothing" : JSON.stringify(raw)}; e.g. ${name} ${spec.example}`,
      );
    }
    options[spec.key] = value;
  }
  return options;
}
