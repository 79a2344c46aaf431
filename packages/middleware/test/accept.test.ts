import { describe, expect, it } from "vitest";

import { negotiateExpositionFormat, parseAccept } from "../src/index.js";

/** The Accept header of a Prometheus 2.x/3.x scrape (with the default scrape protocols). */
const PROMETHEUS =
  "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
/** What Debian's Prometheus 2.42 sends (captured from a scrape). */
const PROMETHEUS_2_42 =
  "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
/** What older Prometheus versions (2.5 to 2.4x) sent. */
const OLD_PROMETHEUS = "application/openmetrics-text; version=0.0.1,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

describe("parseAccept", () => {
  it("reads each media range with its parameters and q-value, in header order", () => {
    expect(parseAccept(PROMETHEUS)).toEqual([
      { type: "application", subtype: "openmetrics-text", params: { version: "1.0.0" }, q: 0.5 },
      { type: "application", subtype: "openmetrics-text", params: { version: "0.0.1" }, q: 0.4 },
      { type: "text", subtype: "plain", params: { version: "0.0.4" }, q: 0.3 },
      { type: "*", subtype: "*", params: {}, q: 0.2 },
    ]);
  });

  it("lower-cases types and parameter names, trims spaces, unquotes values and gives q 1 when absent", () => {
    expect(parseAccept(' Text/Plain ; Version="0.0.4" ; Charset=UTF-8 , APPLICATION/*;Q=0.25')).toEqual([
      { type: "text", subtype: "plain", params: { version: "0.0.4", charset: "UTF-8" }, q: 1 },
      { type: "application", subtype: "*", params: {}, q: 0.25 },
    ]);
  });

  it("keeps commas and semicolons inside quoted parameter values", () => {
    expect(parseAccept('text/plain;foo="a,b;c\\"d";q=0.5,*/*')).toEqual([
      { type: "text", subtype: "plain", params: { foo: 'a,b;c"d' }, q: 0.5 },
      { type: "*", subtype: "*", params: {}, q: 1 },
    ]);
  });

  it("leaves out ranges that are not type/subtype or have a malformed q, and accept-extensions after q", () => {
    expect(parseAccept("text, */plain, text/plain;q=2, text/plain;q=0.1234, text/plain;q=abc, ,text/html;q=0.5;level=1")).toEqual([
      { type: "text", subtype: "html", params: {}, q: 0.5 },
    ]);
  });

  it("gives no ranges for an absent or empty header", () => {
    expect(parseAccept(undefined)).toEqual([]);
    expect(parseAccept("")).toEqual([]);
  });
});

describe("negotiateExpositionFormat", () => {
  it.each<[string, string | undefined, "openmetrics" | "prometheus"]>([
    ["Prometheus' scrape", PROMETHEUS, "openmetrics"],
    ["Prometheus 2.42", PROMETHEUS_2_42, "openmetrics"],
    ["an older Prometheus", OLD_PROMETHEUS, "openmetrics"],
    ["OpenMetrics alone", "application/openmetrics-text", "openmetrics"],
    ["OpenMetrics as much as text", "text/plain;q=0.5, application/openmetrics-text;q=0.5", "openmetrics"],
    ["no header", undefined, "prometheus"],
    ["an empty header", "", "prometheus"],
    ["*/* (curl)", "*/*", "prometheus"],
    ["application/* only", "application/*", "prometheus"],
    ["a browser", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "prometheus"],
    ["text/plain", "text/plain;version=0.0.4", "prometheus"],
    ["OpenMetrics below text", "application/openmetrics-text;version=1.0.0;q=0.3,text/plain;version=0.0.4;q=0.5", "prometheus"],
    ["OpenMetrics below text/* ", "application/openmetrics-text;q=0.3,text/*;q=0.5", "prometheus"],
    ["OpenMetrics refused", "application/openmetrics-text;q=0,*/*", "prometheus"],
    ["an OpenMetrics version we do not serve", "application/openmetrics-text;version=2.0.0,text/plain;q=0.1", "prometheus"],
    [
      "the protobuf format first",
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,text/plain;q=0.5",
      "prometheus",
    ],
    [
      "text refused by its most specific range",
      "text/plain;version=0.0.4;q=0,text/plain;q=1,application/openmetrics-text;q=0.1",
      "openmetrics",
    ],
    ["text refused, a wildcard above OpenMetrics", "text/plain;q=0,*/*;q=1,application/openmetrics-text;q=0.2", "openmetrics"],
  ])("%s → %s", (_name, accept, format) => {
    expect(negotiateExpositionFormat(accept)).toBe(format);
  });
});
