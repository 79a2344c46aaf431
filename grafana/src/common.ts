/**
 * What the dashboards share: template variables, links between the dashboards, annotations, and
 * the final build step.
 */
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";

import { type Board, PROMETHEUS } from "./panels.js";
import { F, METRIC, sel } from "./promql.js";
import { DASHBOARD_UID, type DashboardKey, HOST_URL } from "./stack.js";

/** Dashboard titles, also the link texts between them. */
export const TITLE: Record<DashboardKey, string> = {
  overview: "Agent overview and SLOs",
  cost: "Agent cost",
  internals: "Agent internals",
  quality: "Agent quality and safety",
  health: "agentwatch middleware health",
};

const ALL: dashboard.VariableOption = { selected: true, text: "All", value: "$__all" };

/** The Prometheus datasource (default: the provisioned one, uid "prometheus"). */
export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder("datasource")
    .label("Prometheus")
    .description("The Prometheus (or Mimir) datasource every panel queries.")
    .type("prometheus")
    .current({ selected: true, text: "Prometheus", value: "prometheus" });
}

/** A multi-value label variable over a Prometheus series, "All" by default (`.*`). */
function labelVariable(
  name: string,
  label: string,
  description: string,
  series: string,
  labelName: string,
): dashboard.QueryVariableBuilder {
  const query = `label_values(${series}, ${labelName})`;
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .description(description)
    .datasource(PROMETHEUS)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalCaseInsensitiveAsc)
    .multi(true)
    .includeAll(true)
    .allValue(".*")
    .current(ALL);
}

export const agentVariable = (): dashboard.QueryVariableBuilder =>
  labelVariable("agent", "Agent", "Agents (gen_ai.agent.name) to show.", `${METRIC.runs}_count`, "gen_ai_agent_name");

export const modelVariable = (): dashboard.QueryVariableBuilder =>
  labelVariable(
    "model",
    "Model",
    "Requested models (gen_ai.request.model) to show.",
    `${METRIC.tokens}_count${sel(F.genAiAgent)}`,
    "gen_ai_request_model",
  );

export const promptVersionVariable = (): dashboard.QueryVariableBuilder =>
  labelVariable("prompt_version", "Prompt version", "Prompt versions (gen_ai.prompt.version) to show.", METRIC.promptInfo, "version");

export const featureVariable = (): dashboard.QueryVariableBuilder =>
  labelVariable("feature", "Feature", "Features (run metadata `feature`) whose cost to show.", `${METRIC.cost}${sel(F.agent)}`, "feature");

export const jobVariable = (): dashboard.QueryVariableBuilder =>
  labelVariable("job", "Scrape job", "Prometheus scrape jobs to show.", "up", "job");

/** Price gap of a cache-read token against a full-price input token, for the cache-savings estimate. */
export function cacheSavingVariable(): dashboard.TextBoxVariableBuilder {
  return new dashboard.TextBoxVariableBuilder("cache_saving_usd_per_mtok")
    .label("Cache saving (USD / 1M tokens)")
    .description(
      "Input price minus cache-read price of your model, in USD per million tokens: the cache-savings panels multiply cache-read tokens by it. Default: the demo model (0.15 − 0.075).",
    )
    .defaultValue("0.075")
    .current({ selected: true, text: "0.075", value: "0.075" });
}

/** Links to the other agentwatch dashboards (keeping the time range and variables) and to Alertmanager. */
export function addLinks(board: Board, self: DashboardKey): void {
  for (const key of Object.keys(DASHBOARD_UID) as DashboardKey[]) {
    if (key === self) continue;
    board.builder.link(
      new dashboard.DashboardLinkBuilder(TITLE[key])
        .type(dashboard.DashboardLinkType.Link)
        .url(`/d/${DASHBOARD_UID[key]}`)
        .tooltip(`Open the ${TITLE[key]} dashboard`)
        .icon("dashboard")
        .includeVars(true)
        .keepTime(true),
    );
  }
  board.builder.link(
    new dashboard.DashboardLinkBuilder("Alertmanager")
      .type(dashboard.DashboardLinkType.Link)
      .url(HOST_URL.alertmanager)
      .tooltip("Alerts, silences and routing")
      .icon("bolt")
      .targetBlank(true),
  );
}

/** A Prometheus annotation: a region while `expr` returns a series, titled with `title` (label templates). */
function promAnnotation(name: string, color: string, expr: string, title: string, tagKeys: string): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .name(name)
    .datasource(PROMETHEUS)
    .enable(true)
    .iconColor(color)
    .expr(expr)
    .step("60s")
    .titleFormat(title)
    .tagKeys(tagKeys);
}

export const ANNOTATION = {
  /** The demo's incidents (acme_support_incident_active; absent, so silent, outside the demo). */
  incidents: () => promAnnotation("Demo incidents", "orange", `${METRIC.incidentActive} == 1`, "incident {{incident}}", "incident"),
  /** Alerts firing, from Prometheus's ALERTS series. */
  alerts: () => promAnnotation("Alerts firing", "red", 'ALERTS{alertstate="firing"}', "{{alertname}} ({{severity}})", "alertname,severity"),
  /** A (prompt, version, template hash) that was not live 10 minutes earlier: a new version or an edited template. */
  promptChanges: () =>
    promAnnotation(
      "Prompt changes",
      "purple",
      `${METRIC.promptInfo}${sel(F.version)} unless ${METRIC.promptInfo} offset 10m`,
      "prompt {{prompt}} {{version}} → {{hash}}",
      "prompt,version,hash",
    ),
  /** A (requested model, response model, fingerprint) first seen in the last 10 minutes: a model update. */
  modelChanges: () =>
    promAnnotation(
      "Model / fingerprint changes",
      "blue",
      `sum by (provider, request_model, response_model, fingerprint) (${METRIC.modelResponses}${sel(F.requestModel)}) unless sum by (provider, request_model, response_model, fingerprint) (${METRIC.modelResponses} offset 10m)`,
      "{{request_model}} answered by {{response_model}} ({{fingerprint}})",
      "request_model,response_model,fingerprint",
    ),
};

/**
 * The dashboard's JSON model. The SDK puts links and annotation toggles in the "controls menu"
 * (`placement: inControlsMenu`), which newer Grafana versions fold away: they are dropped so links
 * and toggles show in the dashboard's header.
 */
export function finish(board: Board): dashboard.Dashboard {
  const model = board.builder.build();
  for (const link of model.links ?? []) delete link.placement;
  for (const annotation of model.annotations.list ?? []) delete annotation.placement;
  return model;
}
