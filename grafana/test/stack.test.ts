/**
 * The compose stack holds together without running it (no Docker engine here): docker-compose.yml
 * validates with Debian's docker-compose, and service names, ports, mounted files and endpoints
 * agree across docker-compose.yml, grafana/tempo.yaml, grafana/alloy/config.alloy, the Grafana
 * provisioning, the dashboards, the demo agent's Dockerfile and the alert rules' dashboard links.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { promisify } from "node:util";

import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import { SLO as ALERT_SLO, THRESHOLDS as ALERT_THRESHOLDS } from "../../prometheus/src/config.js";
import { SLO, TIME_BETWEEN_TOKENS } from "../src/slo.js";
import { DASHBOARD_UID, DATASOURCE, HOST_URL } from "../src/stack.js";
import { allPanels, committedDashboards, type DatasourceRef, GRAFANA_DIR, REPO_DIR, targetDatasource } from "./support/dashboards.js";

const run = promisify(execFile);
const read = (path: string) => readFileSync(join(REPO_DIR, path), "utf8");
const yamlFile = <T>(path: string) => parse(read(path)) as T;

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  profiles?: string[];
  user?: string;
}
const compose = yamlFile<{ services: Record<string, Service>; volumes: Record<string, unknown> }>("docker-compose.yml");
const service = (name: string): Service => {
  const s = compose.services[name];
  if (s === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};
/** The container path a repository file is mounted at in `service`. */
const mountOf = (name: string, hostPath: string): string | undefined =>
  service(name)
    .volumes?.map((v) => v.split(":"))
    .find(([host]) => host === hostPath)?.[1];
/** Host port published for `containerPort`, with the host address. */
const published = (name: string, containerPort: number) =>
  service(name)
    .ports?.map((p) => /^(?:(\d+\.\d+\.\d+\.\d+):)?(\d+):(\d+)$/.exec(p))
    .find((m) => Number(m?.[3]) === containerPort);

interface Datasource {
  name: string;
  uid: string;
  type: string;
  url: string;
  jsonData?: Record<string, unknown>;
}
const provisioned = yamlFile<{ datasources: Datasource[] }>("grafana/provisioning/datasources/datasources.yaml").datasources;
const ds = (uid: string): Datasource => {
  const d = provisioned.find((x) => x.uid === uid);
  if (d === undefined) throw new Error(`no provisioned datasource with uid ${uid}`);
  return d;
};
interface Tempo {
  server: { http_listen_port: number };
  distributor: { receivers: { otlp: { protocols: { grpc: { endpoint: string }; http: { endpoint: string } } } } };
  metrics_generator: {
    storage: { remote_write: { url: string; send_exemplars?: boolean }[] };
    processor: { span_metrics?: unknown; service_graphs?: unknown };
  };
  storage: { trace: { backend: string } };
  overrides: { defaults: { metrics_generator: { processors: string[] } } };
}
const tempo = yamlFile<Tempo>("grafana/tempo.yaml");
const alloy = read("grafana/alloy/config.alloy");
const portOf = (endpoint: string) => Number(endpoint.split(":").at(-1));

describe("docker-compose.yml", () => {
  it("validates with docker-compose config (Debian's docker-compose; no engine needed), with and without the load profile", async () => {
    const binary = "docker-compose";
    for (const args of [
      ["config", "--quiet"],
      ["--profile", "load", "config", "--quiet"],
    ]) {
      try {
        await run(binary, ["--file", join(REPO_DIR, "docker-compose.yml"), ...args], { cwd: REPO_DIR, timeout: 30_000 });
      } catch (error) {
        const e = error as { code?: string; stderr?: string; message: string };
        if (e.code === "ENOENT") {
          throw new Error(
            "docker-compose is not installed: run `apt-get install -y --no-install-recommends docker-compose` (as root; .ci/run installs it). This test validates docker-compose.yml with it and does not skip without it.",
            { cause: error },
          );
        }
        throw new Error(`docker-compose ${args.join(" ")} rejected docker-compose.yml:\n${e.stderr ?? e.message}`, { cause: error });
      }
    }
  });

  it("pins every image to a version tag", () => {
    for (const [name, s] of Object.entries(compose.services)) {
      expect(s.image, name).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(s.image, name).not.toMatch(/:latest$/);
    }
  });

  it("has a healthcheck on every long-running service and declares every named volume it uses", () => {
    for (const [name, s] of Object.entries(compose.services)) {
      if (name === "load") continue;
      expect(s.healthcheck?.test.length, `${name} healthcheck`).toBeGreaterThan(1);
    }
    const named = Object.values(compose.services).flatMap((s) =>
      (s.volumes ?? []).map((v) => v.split(":")[0] ?? "").filter((h) => !h.startsWith(".")),
    );
    expect(new Set(named)).toEqual(new Set(Object.keys(compose.volumes)));
    for (const [name, s] of Object.entries(compose.services)) {
      for (const dep of Object.keys(s.depends_on ?? {})) expect(Object.keys(compose.services), `${name} depends on ${dep}`).toContain(dep);
    }
  });

  it("publishes only Grafana, Prometheus, Alertmanager, the demo agent and the Faro receiver, on 127.0.0.1 only", () => {
    const all = Object.entries(compose.services).flatMap(([name, s]) => (s.ports ?? []).map((p) => `${name} ${p}`));
    expect(all.sort()).toEqual(
      [
        "alertmanager 127.0.0.1:9093:9093",
        "alloy 127.0.0.1:12347:12347",
        "demo-agent 127.0.0.1:3000:3000",
        "grafana 127.0.0.1:3001:3000",
        "prometheus 127.0.0.1:9090:9090",
      ].sort(),
    );
    for (const [key, url] of Object.entries(HOST_URL)) {
      const name = key === "demoAgent" ? "demo-agent" : key;
      const port = Number(new URL(url).port);
      expect(
        service(name).ports?.some((p) => p.startsWith(`127.0.0.1:${port}:`)),
        `${url} is published by ${name}`,
      ).toBe(true);
    }
  });

  it("runs Prometheus with exemplar storage, the remote-write receiver, prometheus/prometheus.yml and the rules", () => {
    const prometheus = service("prometheus");
    expect(prometheus.command).toEqual(expect.arrayContaining(["--enable-feature=exemplar-storage", "--web.enable-remote-write-receiver"]));
    const configFlag = prometheus.command?.find((c) => c.startsWith("--config.file="))?.split("=")[1];
    expect(mountOf("prometheus", "./prometheus/prometheus.yml")).toBe(configFlag);
    expect(mountOf("prometheus", "./prometheus/rules")).toBe("/etc/prometheus/rules");
    expect(existsSync(join(REPO_DIR, "prometheus/rules/recording.yml")), "prometheus/rules/recording.yml").toBe(true);
    const alertmanagerConfig = service("alertmanager")
      .command?.find((c) => c.startsWith("--config.file="))
      ?.split("=")[1];
    expect(mountOf("alertmanager", "./prometheus/alertmanager.yml")).toBe(alertmanagerConfig);
  });

  it("builds the demo agent from packages/demo-agent/Dockerfile and sends its traces to Tempo's OTLP HTTP receiver", () => {
    const demo = service("demo-agent");
    expect(demo.build).toEqual({ context: ".", dockerfile: "packages/demo-agent/Dockerfile" });
    expect(service("load").build).toEqual(demo.build);
    expect(service("load").image).toBe(demo.image);
    expect(service("load").profiles).toEqual(["load"]);
    expect(demo.command).toEqual(expect.arrayContaining(["packages/demo-agent/dist/main.js", "--host", "0.0.0.0"]));
    const otlp = new URL(demo.environment?.OTEL_EXPORTER_OTLP_ENDPOINT ?? "");
    expect(otlp.hostname).toBe("tempo");
    expect(Object.keys(compose.services)).toContain(otlp.hostname);
    expect(Number(otlp.port)).toBe(portOf(tempo.distributor.receivers.otlp.protocols.http.endpoint));
    expect(tempo.distributor.receivers.otlp.protocols.http.endpoint).toMatch(/^0\.0\.0\.0:/);
    expect(tempo.distributor.receivers.otlp.protocols.grpc.endpoint).toBe("0.0.0.0:4317");
    expect(tempo.distributor.receivers.otlp.protocols.http.endpoint).toBe("0.0.0.0:4318");
  });

  it("points the chat page's Faro SDK at Alloy's faro.receiver, published on the host, which forwards traces to Tempo over gRPC", () => {
    const collector = new URL(service("demo-agent").environment?.FARO_COLLECTOR_URL ?? "");
    const listenPort = Number(/faro\.receiver[\s\S]*?listen_port\s*=\s*(\d+)/.exec(alloy)?.[1]);
    expect(collector.pathname).toBe("/collect");
    expect(collector.hostname).toBe("localhost");
    expect(Number(collector.port)).toBe(listenPort);
    expect(published("alloy", listenPort)?.[2]).toBe(String(listenPort));
    expect(alloy).toMatch(/listen_address\s*=\s*"0\.0\.0\.0"/);
    const origins = /cors_allowed_origins\s*=\s*\[([^\]]*)\]/.exec(alloy)?.[1] ?? "";
    expect(origins).toContain(`"${HOST_URL.demoAgent}"`);
    expect(alloy).toMatch(/traces\s*=\s*\[otelcol\.exporter\.otlp\.tempo\.input\]/);
    const endpoint = /otelcol\.exporter\.otlp "tempo"[\s\S]*?endpoint\s*=\s*"([^"]+)"/.exec(alloy)?.[1] ?? "";
    expect(endpoint.split(":")[0]).toBe("tempo");
    expect(portOf(endpoint)).toBe(portOf(tempo.distributor.receivers.otlp.protocols.grpc.endpoint));
    const configPath = service("alloy").command?.at(-1);
    expect(mountOf("alloy", "./grafana/alloy/config.alloy")).toBe(configPath);
  });

  it("runs Tempo with grafana/tempo.yaml: local storage and a metrics generator remote-writing span metrics and the service graph to Prometheus", () => {
    const configPath = service("tempo")
      .command?.find((c) => c.startsWith("-config.file="))
      ?.split("=")[1];
    expect(mountOf("tempo", "./grafana/tempo.yaml")).toBe(configPath);
    expect(tempo.storage.trace.backend).toBe("local");
    expect(tempo.overrides.defaults.metrics_generator.processors).toEqual(expect.arrayContaining(["service-graphs", "span-metrics"]));
    expect(tempo.metrics_generator.processor.span_metrics).toBeDefined();
    expect(tempo.metrics_generator.processor.service_graphs).toBeDefined();
    const [write] = tempo.metrics_generator.storage.remote_write;
    const url = new URL(write?.url ?? "");
    expect(url.hostname).toBe("prometheus");
    expect(url.port).toBe("9090");
    expect(url.pathname).toBe("/api/v1/write");
    expect(write?.send_exemplars).toBe(true);
  });

  it("gives Grafana the provisioning, the dashboards at the provider's path, and the overview as home", () => {
    expect(mountOf("grafana", "./grafana/provisioning")).toBe("/etc/grafana/provisioning");
    const provider = yamlFile<{ providers: { folder: string; options: { path: string } }[] }>(
      "grafana/provisioning/dashboards/agentwatch.yaml",
    ).providers[0];
    expect(provider?.folder).toBe("agentwatch");
    expect(mountOf("grafana", "./grafana/dashboards")).toBe(provider?.options.path);
    const home = service("grafana").environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? "";
    expect(home.startsWith(`${provider?.options.path}/`), home).toBe(true);
    expect(existsSync(join(GRAFANA_DIR, "dashboards", home.slice((provider?.options.path.length ?? 0) + 1))), home).toBe(true);
  });
});

describe("Grafana datasources", () => {
  it("are provisioned with the fixed uids prometheus, tempo and alertmanager, at the compose services' ports", () => {
    expect(provisioned.map((d) => [d.uid, d.type])).toEqual(Object.values(DATASOURCE).map((d) => [d.uid, d.type]));
    const tempoUrl = new URL(ds("tempo").url);
    expect([tempoUrl.hostname, Number(tempoUrl.port)]).toEqual(["tempo", tempo.server.http_listen_port]);
    expect(ds("prometheus").url).toBe("http://prometheus:9090");
    expect(ds("alertmanager").url).toBe("http://alertmanager:9093");
    for (const d of provisioned) expect(Object.keys(compose.services), d.url).toContain(new URL(d.url).hostname);
  });

  it("link Prometheus exemplars (trace_id) to Tempo, and Tempo to Prometheus (traces to metrics, service map) with the node graph on", () => {
    const prom = ds("prometheus").jsonData ?? {};
    expect(prom.exemplarTraceIdDestinations).toEqual([expect.objectContaining({ name: "trace_id", datasourceUid: "tempo" })]);
    expect(prom.alertmanagerUid).toBe("alertmanager");
    const t = ds("tempo").jsonData as {
      tracesToMetrics: { datasourceUid: string; queries: { query: string }[] };
      serviceMap: { datasourceUid: string };
      nodeGraph: { enabled: boolean };
    };
    expect(t.tracesToMetrics.datasourceUid).toBe("prometheus");
    expect(t.tracesToMetrics.queries.length).toBeGreaterThan(0);
    for (const q of t.tracesToMetrics.queries) expect(q.query, "a literal $ is $$ in provisioning").toContain("$$__tags");
    expect(t.serviceMap.datasourceUid).toBe("prometheus");
    expect(t.nodeGraph.enabled).toBe(true);
  });

  it("cover every datasource the dashboards use", () => {
    const problems: string[] = [];
    for (const { json } of committedDashboards()) {
      const variables = new Map((json.templating.list ?? []).map((v) => [v.name, v]));
      const check = (ref: DatasourceRef | undefined, where: string) => {
        if (ref === undefined) return problems.push(`${json.uid} / ${where}: no datasource`);
        let uid = ref.uid ?? "";
        const variable = /^\$\{?(\w+)\}?$/.exec(uid)?.[1];
        if (variable !== undefined) {
          const v = variables.get(variable);
          if (v?.type !== "datasource" || v.query !== ref.type)
            return problems.push(`${json.uid} / ${where}: $${variable} is not a ${ref.type} datasource variable`);
          uid = String(v.current?.value ?? "");
        }
        const d = provisioned.find((x) => x.uid === uid);
        if (d === undefined) return problems.push(`${json.uid} / ${where}: uid ${uid} is not provisioned`);
        if (d.type !== ref.type) problems.push(`${json.uid} / ${where}: uid ${uid} is a ${d.type} datasource, not ${ref.type}`);
      };
      for (const panel of allPanels(json)) {
        if (panel.type === "row") continue;
        check(panel.datasource, panel.title ?? "?");
        for (const t of panel.targets ?? []) check(targetDatasource(panel, t), `${panel.title} ${t.refId}`);
      }
      for (const a of json.annotations.list ?? []) check(a.datasource, `annotation ${a.name}`);
      for (const v of json.templating.list ?? []) if (v.type === "query") check(v.datasource, `variable ${v.name}`);
    }
    expect(problems).toEqual([]);
  });
});

describe("the demo agent's Dockerfile", () => {
  const dockerfile = read("packages/demo-agent/Dockerfile");
  const ignored = read(".dockerignore")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"));

  it("copies only files that exist and that .dockerignore keeps, and every workspace's package.json in both stages", () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) => (m[1] ?? "").trim().split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const src of sources) {
      expect(existsSync(join(REPO_DIR, src)), src).toBe(true);
      for (const pattern of ignored) {
        const root = pattern.replace(/^\*\*\//, "").replace(/\/.*$/, "");
        expect(
          src.split("/").includes(root) && !pattern.includes("*.") && root !== "",
          `${src} is excluded by .dockerignore ${pattern}`,
        ).toBe(false);
      }
    }
    const workspaces = (JSON.parse(read("package.json")) as { workspaces: string[] }).workspaces;
    for (const ws of workspaces) {
      const copies = [...dockerfile.matchAll(new RegExp(`^COPY ${ws}/package.json `, "gm"))];
      expect(copies.length, `${ws}/package.json copied in the build and the runtime stage`).toBe(2);
    }
  });

  it("starts the compiled demo, and the compose commands run compiled entry points of the demo agent", () => {
    expect(dockerfile).toMatch(/^FROM node:20[\w.-]* AS build$/m);
    expect(dockerfile).toMatch(/RUN npm ci /);
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(dockerfile).toContain('CMD ["node", "packages/demo-agent/dist/main.js", "--host", "0.0.0.0"]');
    for (const name of ["demo-agent", "load"]) {
      const entry = service(name).command?.find((c) => c.endsWith(".js")) ?? "";
      const source = entry.replace("/dist/", "/src/").replace(/\.js$/, ".ts");
      expect(existsSync(join(REPO_DIR, source)), `${name}: ${entry} is built from ${source}`).toBe(true);
    }
  });
});

describe("alert rules' dashboard links", () => {
  const alertsFile = "prometheus/rules/alerts.yml";
  interface AlertRule {
    alert?: string;
    annotations?: { dashboard_url?: string };
  }

  const links = () =>
    yamlFile<{ groups: { rules: AlertRule[] }[] }>(alertsFile).groups.flatMap((g) =>
      g.rules.flatMap((r) => {
        const url = r.annotations?.dashboard_url;
        if (url === undefined) return [];
        const parsed = new URL(url.replace(/\{\{[^}]*\}\}/g, "x"));
        return [{ alert: r.alert ?? "?", url, parsed, uid: /^\/d\/([^/]+)/.exec(parsed.pathname)?.[1] ?? "" }];
      }),
    );
  it("point at dashboards that exist, on the published Grafana port", () => {
    expect(links().length).toBeGreaterThan(0);
    for (const { alert, url, parsed, uid } of links()) {
      expect(parsed.origin, `${alert}: ${url}`).toBe(HOST_URL.grafana);
      expect(Object.values(DASHBOARD_UID), `${alert}: ${url}`).toContain(uid);
    }
  });

  it("set only variables the linked dashboard has (a var-agent the dashboard lacks silently drops the filter)", () => {
    const dashboards = new Map(committedDashboards().map((d) => [d.json.uid, d.json]));
    const wrong = new Set<string>();
    for (const { alert, url, parsed, uid } of links()) {
      const names = (dashboards.get(uid)?.templating.list ?? []).map((v) => v.name);
      for (const key of parsed.searchParams.keys()) {
        if (key.startsWith("var-") && !names.includes(key.slice(4))) wrong.add(`${alert}: ${url} (${uid} has no $${key.slice(4)})`);
      }
    }
    expect([...wrong]).toEqual([]);
  });
});

describe("prometheus/alertmanager.yml (written with the alert rules)", () => {
  const file = join(REPO_DIR, "prometheus/alertmanager.yml");

  it.skipIf(!existsSync(file))("sends webhooks only to compose services, at the ports they listen on", () => {
    const urls = [...readFileSync(file, "utf8").matchAll(/^\s*-?\s*url:\s*(\S+)/gm)].map((m) => new URL(m[1] ?? ""));
    const listens: Record<string, string> = { "demo-agent": "3000", grafana: "3000", prometheus: "9090", alertmanager: "9093" };
    for (const url of urls) {
      expect(Object.keys(compose.services), url.href).toContain(url.hostname);
      expect(url.port, url.href).toBe(listens[url.hostname]);
    }
  });
});

describe("prometheus/prometheus.yml (written with the alert rules)", () => {
  const file = join(REPO_DIR, "prometheus/prometheus.yml");
  interface PromConfig {
    global?: { scrape_interval?: string };
    rule_files?: string[];
    alerting?: { alertmanagers?: { static_configs?: { targets?: string[] }[] }[] };
    scrape_configs?: { job_name: string; static_configs?: { targets?: string[] }[] }[];
  }

  it.skipIf(!existsSync(file))(
    "scrapes the demo agent, loads the mounted rules, alerts via Alertmanager, at the datasource's scrape interval",
    () => {
      const config = parse(readFileSync(file, "utf8")) as PromConfig;
      const targets = (config.scrape_configs ?? []).flatMap((s) => (s.static_configs ?? []).flatMap((c) => c.targets ?? []));
      expect(targets).toContain("demo-agent:3000");
      // Relative rule files resolve against the config file's directory in the container.
      const configDir = posix.dirname(mountOf("prometheus", "./prometheus/prometheus.yml") ?? "");
      const ruleFiles = (config.rule_files ?? []).map((f) => posix.resolve(configDir, f));
      expect(ruleFiles.length).toBeGreaterThan(0);
      for (const f of ruleFiles) {
        expect(f.startsWith(`${mountOf("prometheus", "./prometheus/rules")}/`), `${f} is inside the mounted rules`).toBe(true);
        expect(existsSync(join(REPO_DIR, "prometheus/rules", posix.basename(f))), f).toBe(true);
      }
      const alertmanagers = (config.alerting?.alertmanagers ?? []).flatMap((a) => (a.static_configs ?? []).flatMap((c) => c.targets ?? []));
      expect(alertmanagers).toContain("alertmanager:9093");
      expect(ds("prometheus").jsonData?.timeInterval, "datasource timeInterval = global scrape_interval").toBe(
        config.global?.scrape_interval ?? "1m",
      );
    },
  );
});

describe("SLOs", () => {
  it("the dashboards show the SLOs the alert rules are written on", () => {
    expect(SLO.latency).toEqual(ALERT_SLO.latency);
    expect(SLO.availability).toEqual(ALERT_SLO.availability);
    const { quantile, thresholdSeconds } = ALERT_THRESHOLDS.timeBetweenTokensP99;
    expect(TIME_BETWEEN_TOKENS).toEqual({ quantile, thresholdSeconds });
  });
});
