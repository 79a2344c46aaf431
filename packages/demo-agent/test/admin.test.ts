import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { adminAccess, isLoopbackAddress } from "../src/admin.js";
import { INCIDENT_NAMES } from "../src/incidents.js";
import { type DemoServer, startDemo } from "./support/demo-server.js";

describe("isLoopbackAddress", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["::1", true],
    ["::ffff:127.0.0.1", true],
    ["0:0:0:0:0:0:0:1", true],
    ["0:0:0:0:0:ffff:127.0.0.1", true],
    ["[::1]", true],
    ["::1%lo0", true],
    ["10.0.0.5", false],
    ["::ffff:10.0.0.5", false],
    ["192.168.1.20", false],
    ["128.0.0.1", false],
    ["127.0.0.256", false],
    ["fe80::1", false],
    ["::", false],
    ["localhost", false],
    ["", false],
    [undefined, false],
  ])("%s → %s", (address, loopback) => {
    expect(isLoopbackAddress(address)).toBe(loopback);
  });
});

describe("adminAccess", () => {
  const from = (remoteAddress: string, authorization?: string, forwarded = false) => ({ remoteAddress, authorization, forwarded });

  it("lets loopback in, with or without a token configured", () => {
    expect(adminAccess(from("127.0.0.1"), undefined)).toEqual({ ok: true });
    expect(adminAccess(from("::1"), "s3cret")).toEqual({ ok: true });
    expect(adminAccess(from("::ffff:127.0.0.1"), undefined)).toEqual({ ok: true });
  });

  it("refuses other addresses without a token, saying how to get in", () => {
    const decision = adminAccess(from("10.0.0.5"), undefined);
    expect(decision).toMatchObject({ ok: false, status: 403 });
    expect(decision.ok ? "" : decision.error).toMatch(/ADMIN_TOKEN.*Authorization: Bearer/);
    // a bearer token means nothing when the server has none
    expect(adminAccess(from("10.0.0.5", "Bearer s3cret"), undefined)).toMatchObject({ ok: false, status: 403 });
  });

  it("accepts the right bearer token from anywhere, 401 for a missing or wrong one", () => {
    expect(adminAccess(from("10.0.0.5", "Bearer s3cret"), "s3cret")).toEqual({ ok: true });
    expect(adminAccess(from("::ffff:10.0.0.5", "bearer s3cret"), "s3cret")).toEqual({ ok: true });
    expect(adminAccess(from("10.0.0.5"), "s3cret")).toMatchObject({ ok: false, status: 401, error: expect.stringContaining("Bearer") });
    expect(adminAccess(from("10.0.0.5", "Bearer nope"), "s3cret")).toMatchObject({
      ok: false,
      status: 401,
      error: expect.stringContaining("does not match"),
    });
    expect(adminAccess(from("10.0.0.5", "Basic czNjcmV0"), "s3cret")).toMatchObject({ ok: false, status: 401 });
  });

  it("does not trust loopback for a request that came through a proxy", () => {
    expect(adminAccess(from("127.0.0.1", undefined, true), undefined)).toMatchObject({ ok: false, status: 403 });
    expect(adminAccess(from("127.0.0.1", "Bearer s3cret", true), "s3cret")).toEqual({ ok: true });
  });
});

describe("admin routes", () => {
  let open: DemoServer;
  let remote: DemoServer;
  let remoteWithToken: DemoServer;
  beforeAll(async () => {
    open = await startDemo({ adminToken: undefined });
    remote = await startDemo({ adminToken: undefined, remoteAddress: () => "10.0.0.5" });
    remoteWithToken = await startDemo({ adminToken: "s3cret", remoteAddress: () => "::ffff:10.0.0.5" });
  });
  afterAll(async () => {
    await Promise.all([open.close(), remote.close(), remoteWithToken.close()]);
  });
  const call = (s: DemoServer, method: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`${s.base}/admin${path}`, { method, headers });

  it("start, list and stop incidents from loopback", async () => {
    const started = await call(open, "POST", "/incidents/latency-spike");
    expect(started.status).toBe(200);
    expect(await started.json()).toEqual({ incident: "latency-spike", started: true, active: ["latency-spike"], valid: INCIDENT_NAMES });
    expect(await (await call(open, "POST", "/incidents/latency-spike")).json()).toMatchObject({ started: false });
    expect(open.incidents.list()).toEqual(["latency-spike"]);
    const list = (await (await call(open, "GET", "/incidents")).json()) as {
      active: string[];
      valid: string[];
      incidents: { name: string; active: boolean; alert: string }[];
    };
    expect(list.active).toEqual(["latency-spike"]);
    expect(list.valid).toEqual(INCIDENT_NAMES);
    expect(list.incidents.find((i) => i.name === "latency-spike")).toMatchObject({ active: true, alert: "AgentLatencyP99High" });
    const stopped = await call(open, "DELETE", "/incidents/latency-spike");
    expect(await stopped.json()).toMatchObject({ incident: "latency-spike", stopped: true, active: [] });
    expect(await (await call(open, "DELETE", "/incidents/latency-spike")).json()).toMatchObject({ stopped: false });
  });

  it("answers an unknown incident with 400 listing the valid ones", async () => {
    for (const method of ["POST", "DELETE"]) {
      const res = await call(open, method, "/incidents/meteor-strike");
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: string; field: string; valid: string[] };
      expect(body.field).toBe("name");
      expect(body.valid).toEqual(INCIDENT_NAMES);
      expect(body.error).toContain('unknown incident "meteor-strike"; valid incidents: latency-spike, stream-stall, error-burst');
    }
  });

  it("refuses a non-loopback client without a token (403), for every admin route", async () => {
    for (const [method, path] of [
      ["GET", "/incidents"],
      ["POST", "/incidents/error-burst"],
      ["DELETE", "/incidents/error-burst"],
      ["POST", "/incidents/meteor-strike"],
    ] as const) {
      const res = await call(remote, method, path, { authorization: "Bearer guess" });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toContain("ADMIN_TOKEN");
    }
    expect(remote.incidents.list()).toEqual([]);
    // the rest of the API stays open
    expect((await remote.chat("How do I reset my password?")).status).toBe(200);
  });

  it("accepts a non-loopback client with the token, 401 without it", async () => {
    const missing = await call(remoteWithToken, "POST", "/incidents/error-burst");
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toContain("Bearer");
    expect((await call(remoteWithToken, "POST", "/incidents/error-burst", { authorization: "Bearer wrong" })).status).toBe(401);
    expect(remoteWithToken.incidents.list()).toEqual([]);
    const ok = await call(remoteWithToken, "POST", "/incidents/error-burst", { authorization: "Bearer s3cret" });
    expect(ok.status).toBe(200);
    expect(remoteWithToken.incidents.list()).toEqual(["error-burst"]);
    expect((await call(remoteWithToken, "DELETE", "/incidents/error-burst", { authorization: "Bearer s3cret" })).status).toBe(200);
  });

  it("refuses a request forwarded by a same-host proxy", async () => {
    const res = await call(open, "POST", "/incidents/cache-miss", { "x-forwarded-for": "203.0.113.9" });
    expect(res.status).toBe(403);
    expect(open.incidents.list()).toEqual([]);
  });
});
