/**
 * Test harness: a real Prometheus (and Alertmanager) as child processes on 127.0.0.1, each on a free
 * port with its own temp dir, for tests that prove PromQL, scrapes, exemplars and alerts for real.
 *
 * The binaries come from Debian (`apt-get install prometheus prometheus-alertmanager`; `.ci/run`
 * installs them). When one is missing, starting it throws: tests that need it fail, never skip.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants as fsConstants } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setPriority, tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** A port that was free a moment ago: listen on port 0, read the port, close. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Serves `handler` on 127.0.0.1 at a free port. A handler that throws or rejects answers 500. */
export async function startMetricsServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<unknown>,
): Promise<{ port: number; url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const fail = (error: unknown) => {
      if (res.headersSent) return void res.destroy();
      res.statusCode = 500;
      res.end(`handler failed: ${error instanceof Error ? error.message : String(error)}\n`);
    };
    try {
      Promise.resolve(handler(req, res)).catch(fail);
    } catch (error) {
      fail(error);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The absolute path of `name` on PATH, or a thrown error that says how to install it. */
export function requireBinary(name: string, debianPackage: string): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(
    `the \`${name}\` binary is not on PATH: run \`apt-get install ${debianPackage}\` ` +
      `(as root; .ci/run installs it in CI). This test needs a real ${name} and does not skip without one.`,
  );
}

/** A child process with the tail of its stderr kept for error messages, killed if the test process exits. */
export class Child {
  private stderr = "";
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<void>;
  private readonly killOnExit = () => this.proc.kill("SIGKILL");
  readonly proc: ChildProcess;

  constructor(
    readonly name: string,
    binary: string,
    args: string[],
  ) {
    // One OS thread for Go code and the lowest CPU priority: on a 2-core CI machine the test workers
    // running beside it (some of which assert millisecond timings) must keep their CPU.
    this.proc = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, GOMAXPROCS: "1" } });
    if (this.proc.pid !== undefined) {
      try {
        setPriority(this.proc.pid, 19);
      } catch {
        // not allowed here: run at normal priority
      }
    }
    const keep = (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString("utf8")).slice(-16_384);
    };
    this.proc.stdout?.on("data", keep);
    this.proc.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => {
      this.proc.once("exit", (code, signal) => {
        this.exit = { code, signal };
        resolve();
      });
      this.proc.once("error", (error) => {
        this.stderr += `\nspawn error: ${error.message}`;
        this.exit = { code: null, signal: null };
        resolve();
      });
    });
    process.once("exit", this.killOnExit);
  }

  /** The last lines of the process's output, for error messages. */
  tail(lines = 25): string {
    return this.stderr.trimEnd().split("\n").slice(-lines).join("\n");
  }

  /** Polls `url` until it answers 200; throws with the output tail if the process dies or time runs out. */
  async waitReady(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = "no answer yet";
    while (Date.now() < deadline) {
      if (this.exit) {
        throw new Error(
          `${this.name} exited (code ${this.exit.code}, signal ${this.exit.signal}) before it was ready. Its output:\n${this.tail()}`,
        );
      }
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
        if (res.status === 200) return;
        last = `HTTP ${res.status}`;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await sleep(100);
    }
    throw new Error(`${this.name} was not ready at ${url} within ${timeoutMs} ms (last: ${last}). Its output:\n${this.tail()}`);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(graceMs = 5_000): Promise<void> {
    process.removeListener("exit", this.killOnExit);
    if (this.exit) return;
    this.proc.kill("SIGTERM");
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const yamlString = (s: string) => JSON.stringify(s); // JSON strings are valid YAML scalars

/** One series of an instant query's vector result. */
export interface InstantSample {
  metric: Record<string, string>;
  /** The value as Prometheus sent it ("NaN", "+Inf" included) and as a number. */
  raw: string;
  value: number;
  time: number;
}

export interface RangeSeries {
  metric: Record<string, string>;
  values: { time: number; value: number }[];
}

/** The result of an instant query: a vector is a list of samples; a scalar becomes one sample with no labels. */
export interface QueryResult {
  resultType: "vector" | "scalar" | "matrix" | "string";
  samples: InstantSample[];
  /** The raw `data.result` as Prometheus sent it. */
  raw: unknown;
}

export interface ExemplarSeries {
  seriesLabels: Record<string, string>;
  exemplars: { labels: Record<string, string>; value: number; timestamp: number }[];
}

export interface TargetHealth {
  scrapeUrl: string;
  health: "up" | "down" | "unknown";
  lastError: string;
  labels: Record<string, string>;
}

export interface PrometheusOptions {
  /** Targets as `host:port`. */
  targets: string[];
  /** Default "/metrics". */
  metricsPath?: string;
  /** Contents of rule files (YAML), written into the temp dir and listed under `rule_files`. */
  rules?: string[];
  /** Alertmanager base URL (`http://127.0.0.1:PORT`) to send alerts to. */
  alertmanagerUrl?: string;
  /** Default 30 s (two cores shared with other test workers). */
  readyTimeoutMs?: number;
}

interface ApiResponse<T> {
  status: "success" | "error";
  data?: T;
  errorType?: string;
  error?: string;
  warnings?: string[];
}

const toNumber = (raw: string): number => (raw === "+Inf" ? Infinity : raw === "-Inf" ? -Infinity : Number(raw));

export class Prometheus {
  private constructor(
    readonly url: string,
    readonly port: number,
    readonly dir: string,
    private readonly child: Child,
  ) {}

  /** Starts Prometheus scraping `targets` every second; resolves once `/-/ready` answers 200. */
  static async start(options: PrometheusOptions): Promise<Prometheus> {
    const binary = requireBinary("prometheus", "prometheus");
    const dir = await mkdtemp(join(tmpdir(), "agentwatch-prometheus-"));
    try {
      const ruleFiles: string[] = [];
      for (const [i, rules] of (options.rules ?? []).entries()) {
        const file = join(dir, `rules-${i}.yml`);
        await writeFile(file, rules);
        ruleFiles.push(file);
      }
      const config = [
        "global:",
        "  scrape_interval: 1s",
        "  scrape_timeout: 1s",
        "  evaluation_interval: 1s",
        ...(ruleFiles.length > 0 ? ["rule_files:", ...ruleFiles.map((f) => `  - ${yamlString(f)}`)] : []),
        ...(options.alertmanagerUrl
          ? [
              "alerting:",
              "  alertmanagers:",
              "    - static_configs:",
              `        - targets: [${yamlString(new URL(options.alertmanagerUrl).host)}]`,
            ]
          : []),
        "scrape_configs:",
        "  - job_name: agentwatch",
        `    metrics_path: ${yamlString(options.metricsPath ?? "/metrics")}`,
        "    static_configs:",
        `      - targets: [${options.targets.map(yamlString).join(", ")}]`,
        "",
      ].join("\n");
      const configFile = join(dir, "prometheus.yml");
      await writeFile(configFile, config);
      const port = await freePort();
      const child = new Child("prometheus", binary, [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--enable-feature=exemplar-storage",
        "--web.enable-lifecycle",
      ]);
      const prometheus = new Prometheus(`http://127.0.0.1:${port}`, port, dir, child);
      try {
        await child.waitReady(`${prometheus.url}/-/ready`, options.readyTimeoutMs ?? 30_000);
      } catch (error) {
        await prometheus.stop();
        throw error;
      }
      return prometheus;
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Calls the HTTP API: POST with a form body (queries of any length), or GET for the read-only endpoints. */
  private async api<T>(path: string, params: Record<string, string>, method: "GET" | "POST" = "POST"): Promise<T> {
    const form = new URLSearchParams(params);
    const res =
      method === "GET"
        ? await fetch(`${this.url}${path}?${form}`, { signal: AbortSignal.timeout(10_000) })
        : await fetch(`${this.url}${path}`, {
            method: "POST",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
            body: form,
            signal: AbortSignal.timeout(10_000),
          });
    const text = await res.text();
    let body: ApiResponse<T>;
    try {
      body = JSON.parse(text) as ApiResponse<T>;
    } catch {
      throw new Error(`Prometheus ${path} answered HTTP ${res.status} with non-JSON: ${text.slice(0, 500)}`);
    }
    if (body.status !== "success" || body.data === undefined) {
      const query = params.query === undefined ? "" : `\nquery: ${params.query}`;
      throw new Error(`Prometheus rejected ${path} (HTTP ${res.status}, ${body.errorType ?? "error"}): ${body.error ?? text}${query}`);
    }
    return body.data;
  }

  /** Instant query (`/api/v1/query`), at `time` (Unix seconds or Date) or now. Throws with Prometheus's error on a bad query. */
  async query(promql: string, time?: number | Date): Promise<QueryResult> {
    const params: Record<string, string> = { query: promql };
    if (time !== undefined) params.time = String(seconds(time));
    const data = await this.api<{ resultType: QueryResult["resultType"]; result: unknown }>("/api/v1/query", params);
    let samples: InstantSample[] = [];
    if (data.resultType === "vector") {
      samples = (data.result as { metric: Record<string, string>; value: [number, string] }[]).map(({ metric, value: [t, raw] }) => ({
        metric,
        raw,
        value: toNumber(raw),
        time: t,
      }));
    } else if (data.resultType === "scalar") {
      const [t, raw] = data.result as [number, string];
      samples = [{ metric: {}, raw, value: toNumber(raw), time: t }];
    }
    return { resultType: data.resultType, samples, raw: data.result };
  }

  /** Range query (`/api/v1/query_range`). */
  async queryRange(promql: string, start: number | Date, end: number | Date, stepSeconds = 1): Promise<RangeSeries[]> {
    const data = await this.api<{ resultType: string; result: { metric: Record<string, string>; values: [number, string][] }[] }>(
      "/api/v1/query_range",
      { query: promql, start: String(seconds(start)), end: String(seconds(end)), step: String(stepSeconds) },
    );
    return data.result.map(({ metric, values }) => ({ metric, values: values.map(([time, raw]) => ({ time, value: toNumber(raw) })) }));
  }

  /** Polls `promql` every 250 ms until `predicate` holds for its samples; throws with the last result on timeout. */
  async waitFor(promql: string, predicate: (samples: InstantSample[]) => boolean, timeoutMs: number): Promise<InstantSample[]> {
    const deadline = Date.now() + timeoutMs;
    let last: InstantSample[] | string | undefined;
    for (;;) {
      try {
        const { samples } = await this.query(promql);
        if (predicate(samples)) return samples;
        last = samples;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      if (Date.now() >= deadline) break;
      await sleep(250);
    }
    throw new Error(
      `timed out after ${timeoutMs} ms waiting for ${promql}; last result: ${JSON.stringify(last)}; targets: ${JSON.stringify(await this.targets().catch((e: unknown) => String(e)))}\nprometheus log:\n${this.logTail()}`,
    );
  }

  /** Active targets and their health. */
  async targets(): Promise<TargetHealth[]> {
    const data = await this.api<{ activeTargets: TargetHealth[] }>("/api/v1/targets", { state: "active" }, "GET");
    return data.activeTargets;
  }

  /** True when there is at least one target and every one has been scraped successfully. */
  async targetsUp(): Promise<boolean> {
    const targets = await this.targets();
    return targets.length > 0 && targets.every((t) => t.health === "up");
  }

  /** Exemplars of the series selected by `promql` between `start` and `end` (`/api/v1/query_exemplars`). */
  async exemplars(promql: string, start: number | Date, end: number | Date): Promise<ExemplarSeries[]> {
    const data = await this.api<
      { seriesLabels: Record<string, string>; exemplars: { labels: Record<string, string>; value: string; timestamp: number }[] }[]
    >("/api/v1/query_exemplars", { query: promql, start: String(seconds(start)), end: String(seconds(end)) });
    return data.map(({ seriesLabels, exemplars }) => ({
      seriesLabels,
      exemplars: exemplars.map((e) => ({ labels: e.labels, value: toNumber(e.value), timestamp: e.timestamp })),
    }));
  }

  /** Alerts Prometheus's rules have pending or firing (`/api/v1/alerts`). */
  async alerts(): Promise<{ labels: Record<string, string>; annotations: Record<string, string>; state: string; value: string }[]> {
    type Alert = { labels: Record<string, string>; annotations: Record<string, string>; state: string; value: string };
    return (await this.api<{ alerts: Alert[] }>("/api/v1/alerts", {}, "GET")).alerts;
  }

  /** The tail of Prometheus's log, for assertion messages. */
  logTail(lines = 25): string {
    return this.child.tail(lines);
  }

  /** SIGTERM, SIGKILL after 5 s, then removes the temp dir. Safe to call twice. */
  async stop(): Promise<void> {
    await this.child.stop(5_000);
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Unix seconds (fractional) of a Date or number of seconds. */
function seconds(t: number | Date): number {
  return t instanceof Date ? t.getTime() / 1000 : t;
}

export interface AlertmanagerOptions {
  /** Where the single receiver posts its webhooks (ignored when `config` is given). */
  webhookUrl?: string;
  /** A whole Alertmanager configuration (YAML) to run instead of the single-webhook one. */
  config?: string;
  /** Default 30 s. */
  readyTimeoutMs?: number;
}

/** A real Alertmanager (clustering off) routing every alert to one webhook, grouped by alertname, with 1 s waits. */
export class Alertmanager {
  private constructor(
    readonly url: string,
    readonly port: number,
    readonly dir: string,
    private readonly child: Child,
  ) {}

  static async start(options: AlertmanagerOptions): Promise<Alertmanager> {
    const binary = requireBinary("prometheus-alertmanager", "prometheus-alertmanager");
    const dir = await mkdtemp(join(tmpdir(), "agentwatch-alertmanager-"));
    try {
      if (options.config === undefined && options.webhookUrl === undefined)
        throw new Error("Alertmanager.start needs a webhookUrl or a config");
      const config =
        options.config ??
        [
          "route:",
          "  receiver: webhook",
          "  group_by: [alertname]",
          "  group_wait: 1s",
          "  group_interval: 1s",
          "  repeat_interval: 1h",
          "receivers:",
          "  - name: webhook",
          "    webhook_configs:",
          `      - url: ${yamlString(options.webhookUrl ?? "")}`,
          "        send_resolved: true",
          "",
        ].join("\n");
      const configFile = join(dir, "alertmanager.yml");
      await writeFile(configFile, config);
      const port = await freePort();
      const child = new Child("prometheus-alertmanager", binary, [
        `--config.file=${configFile}`,
        `--storage.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--cluster.listen-address=",
      ]);
      const alertmanager = new Alertmanager(`http://127.0.0.1:${port}`, port, dir, child);
      try {
        await child.waitReady(`${alertmanager.url}/-/ready`, options.readyTimeoutMs ?? 30_000);
      } catch (error) {
        await alertmanager.stop();
        throw error;
      }
      return alertmanager;
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Alerts Alertmanager holds (`/api/v2/alerts`). */
  async alerts(): Promise<{ labels: Record<string, string>; annotations: Record<string, string>; status: { state: string } }[]> {
    const res = await fetch(`${this.url}/api/v2/alerts`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`Alertmanager /api/v2/alerts answered HTTP ${res.status}: ${await res.text()}`);
    return (await res.json()) as { labels: Record<string, string>; annotations: Record<string, string>; status: { state: string } }[];
  }

  logTail(lines = 25): string {
    return this.child.tail(lines);
  }

  /** SIGTERM, SIGKILL after 5 s, then removes the temp dir. Safe to call twice. */
  async stop(): Promise<void> {
    await this.child.stop(5_000);
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Starts Prometheus; see {@link Prometheus.start}. */
export const startPrometheus = (options: PrometheusOptions): Promise<Prometheus> => Prometheus.start(options);

/** Starts Alertmanager; see {@link Alertmanager.start}. */
export const startAlertmanager = (options: AlertmanagerOptions): Promise<Alertmanager> => Alertmanager.start(options);
