import { describe, expect, it } from "vitest";

import { AgentWatchHandler, redactSecrets } from "../src/index.js";

describe("options", () => {
  it.each([
    [{ runTtlMs: -1 }, /option "runTtlMs" must be a positive integer.*leave it out/],
    [{ maxLabelValues: 1.5 }, /option "maxLabelValues" must be a positive integer/],
    [{ captureContent: "yes" }, /option "captureContent" must be true or false/],
    [{ agentName: "" }, /option "agentName" must be a non-empty string/],
    [{ registry: {} }, /option "registry" is not a prom-client Registry/],
    [{ tracerProvider: {} }, /option "tracerProvider" is not a TracerProvider/],
    [{ redact: "mask" }, /option "redact" must be a function/],
    [{ agentDurationBuckets: [1, 0.5] }, /option "agentDurationBuckets" must be a non-empty, strictly increasing list/],
  ])("rejects %j with an error naming the field and the fix", (options, message) => {
    expect(() => new AgentWatchHandler(options as never)).toThrow(message);
  });

  it("works with no options at all and serves OpenMetrics by default", () => {
    const handler = new AgentWatchHandler();
    expect(handler.registry.contentType).toContain("openmetrics");
    expect(handler.awaitHandlers).toBe(true);
    handler.shutdown();
  });
});

describe("redactSecrets", () => {
  it.each([
    ["mail jane.doe@example.com now", "mail [REDACTED_EMAIL] now"],
    ["call +1 415-555-0132 today", "call [REDACTED_PHONE] today"],
    ["card 4111 1111 1111 1111 ok", "card [REDACTED_CARD] ok"],
    ["key sk-proj-abcdefghijklmnopqrstuv", "key [REDACTED_API_KEY]"],
    ["Authorization: Bearer abc.def.ghi", "Authorization: Bearer [REDACTED_TOKEN]"],
    ["AWS AKIAIOSFODNN7EXAMPLE", "AWS [REDACTED_API_KEY]"],
    ["order AB-1234 shipped on 2026-11-02", "order AB-1234 shipped on 2026-11-02"],
  ])("%s", (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });
});
