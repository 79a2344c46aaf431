import { describe, expect, it } from "vitest";

import { redactSecrets } from "../../src/content/redaction.js";
import { detectPii } from "../../src/guardrails/detectors/pii.js";

/** Fake-but-well-shaped secrets, built at runtime so secret scanners do not flag this file. */
const fake = {
  openai: "sk-" + "T3stKey9".repeat(4),
  anthropic: "sk-ant-api03-" + "Zx9_Yw8-".repeat(5),
  aws: "AKIA" + "IOSFODNN7EXAMPL1",
  github: "ghp_" + "A1b2C3d4E5f6".repeat(3),
  slack: "xoxb-" + "1234567890-0987654321-AbCdEfGhIjKl",
  stripe: "sk_live_" + "4eC39HqLyjWD".repeat(2),
  google: "AIza" + "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY".slice(0, 35),
  jwt: "eyJhbGciOiJIUzI1NiJ9" + "." + "eyJzdWIiOiIxMjM0NTY3ODkwIn0" + "." + "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
};

describe("redactSecrets masks what the PII detectors find", () => {
  it.each([
    ["mail jane.doe@example.com now", "mail [REDACTED_EMAIL] now"],
    ["<SUPPORT_TEAM@Acme-Shop.io>", "<[REDACTED_EMAIL]>"],
    ["Call (415) 555-0132 today", "Call [REDACTED_PHONE] today"],
    ["London +44 20 7946 0958.", "London [REDACTED_PHONE]."],
    ["Paris 01 23 45 67 89", "Paris [REDACTED_PHONE]"],
    ["card 4111 1111 1111 1111, thanks", "card [REDACTED_CARD], thanks"],
    ["Amex 3782 822463 10005", "Amex [REDACTED_CARD]"],
    [`config: ${fake.openai} end`, "config: [REDACTED_API_KEY] end"],
    [`config: ${fake.google} end`, "config: [REDACTED_API_KEY] end"],
    [`token ${fake.jwt}.`, "token [REDACTED_TOKEN]."],
    [`Authorization: Bearer ${fake.jwt}`, "Authorization: Bearer [REDACTED_TOKEN]"],
    [`Authorization: bearer ${fake.openai.slice(3)}`, "Authorization: Bearer [REDACTED_TOKEN]"],
  ])("%j", (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it("leaves nothing of any finding in a text full of them", () => {
    const secrets = [
      "jane@example.com",
      "+44 20 7946 0958",
      "4111 1111 1111 1111",
      "DE89 3704 0044 0532 0130 00",
      "GB82 WEST 1234 5698 7654 32",
      ...Object.values(fake),
    ];
    const text = `Hi, I'm ${secrets.join(", and ")}.`;
    expect(detectPii(text)).toHaveLength(secrets.length);
    const redacted = redactSecrets(text);
    for (const secret of secrets) expect(redacted).not.toContain(secret);
    expect(redacted).not.toMatch(/\d{4}/);
    expect(redacted.startsWith("Hi, I'm [REDACTED_EMAIL], and [REDACTED_PHONE], and [REDACTED_CARD], and [REDACTED_IBAN]")).toBe(true);
  });

  it.each([
    "Where is my order AB-1234? It was due on 2026-11-02 and cost $49.99.",
    "Delivered 2026-11-02 10:30, firmware 1.2.3, since 2024, 1 299 000 EUR",
    "the bearer of bad news",
    "ask-me-about-our-very-long-sale-items-today",
    "user@localhost and @handle",
    "",
  ])("leaves ordinary text alone: %j", (text) => {
    expect(redactSecrets(text)).toBe(text);
  });
});

describe("redactSecrets: IBANs", () => {
  it.each([
    ["GB82 WEST 1234 5698 7654 32"],
    ["DE89370400440532013000"],
    ["DE89 3704 0044 0532 0130 00"],
    ["FR14 2004 1010 0505 0001 3M02 606"],
    ["nl91 abna 0417 1643 00"],
  ])("masks the valid IBAN %j", (iban) => {
    expect(redactSecrets(`Please refund to IBAN ${iban} and confirm.`)).toBe("Please refund to IBAN [REDACTED_IBAN] and confirm.");
  });

  it.each([["QWERTY12345 is the voucher"], ["ref GB82 WEST now"], ["AB12CDEF is a product code"], ["XX89 done"]])(
    "leaves %j alone",
    (text) => {
      expect(redactSecrets(text)).toBe(text);
    },
  );
});

describe("redactSecrets fails closed where a detector's check rejects a candidate", () => {
  it.each([
    ["a card number failing Luhn", "card 4111 1111 1111 1112 ok", "card [REDACTED_CARD] ok"],
    ["a compact number failing Luhn", "card 5555555555554445 ok", "card [REDACTED_CARD] ok"],
    ["a dashed number failing Luhn", "card 4012-8888-8888-1882 ok", "card [REDACTED_CARD] ok"],
    ["a Luhn-valid number outside the card ranges", "card 0000 0000 0000 0000 ok", "card [REDACTED_CARD] ok"],
    ["a digit run too long for a card", "acct 4111 1111 1111 1111 1111 1 ok", "acct [REDACTED_CARD] ok"],
    ["a 30-digit run", "acct 123456789012345678901234567890 ok", "acct [REDACTED_CARD] ok"],
    ["a number glued to an id", "ORD-4111111111111112", "ORD-[REDACTED_CARD]"],
    ["a number glued to letters", "x4111111111111112y", "x[REDACTED_CARD]y"],
    ["an IBAN failing mod-97", "IBAN DE89 3704 0044 0532 0130 02 ok", "IBAN [REDACTED_IBAN] ok"],
    ["a compact IBAN failing mod-97", "IBAN GB82WEST12345698765433 ok", "IBAN [REDACTED_IBAN] ok"],
    ["a bare phone-length digit run", "reference 4155550132", "reference [REDACTED_PHONE]"],
  ])("masks %s", (_what, input, expected) => {
    expect(detectPii(input)).toEqual([]);
    expect(redactSecrets(input)).toBe(expected);
  });

  it.each([
    ["an sk- key without digits", "key sk-abcdefghijklmnopqrstuvwxyz", "key [REDACTED_API_KEY]"],
    ["a project key without digits", "key sk-proj-abcdefghijklmnopqrstuv", "key [REDACTED_API_KEY]"],
    ["a short sk- key", "key sk-abcdef1234567890", "key [REDACTED_API_KEY]"],
    ["a publishable Stripe key", `key pk_live_${"4eC39HqLyjWD".repeat(2)}`, "key [REDACTED_API_KEY]"],
    ["a short GitHub token", `token ghp_${"A1b2C3d4E5".repeat(3)}`, "token [REDACTED_API_KEY]"],
    ["a JWT with short parts", "token eyJhbGciOiJ.eyJzdWIiOi.dozjgNryP4", "token [REDACTED_TOKEN]"],
    ["a short bearer token", "Authorization: Bearer abc.def.ghi", "Authorization: Bearer [REDACTED_TOKEN]"],
    ["an email the strict rule rejects", "from .jane@example.com-x", "from [REDACTED_EMAIL]-x"],
  ])("masks %s", (_what, input, expected) => {
    expect(detectPii(input)).toEqual([]);
    expect(redactSecrets(input)).toBe(expected);
  });

  it("never lets a digit of a rejected card number through", () => {
    for (const card of ["4111111111111112", "4111 1111 1111 1112", "6011-1111-1111-1118", "9111111111111111", "41111111111111111111"]) {
      expect(redactSecrets(`pay with ${card} please`)).not.toMatch(/\d/);
    }
  });
});

describe("redactSecrets on captured JSON", () => {
  it("masks items that follow an escaped newline, tab or quote, and keeps the JSON valid", () => {
    const message = {
      role: "user",
      content: 'my card:\n4111 1111 1111 1111\tphone:\n+1 415-555-0132\nmail:\njane@example.com\niban "DE89370400440532013000"',
    };
    const redacted = redactSecrets(JSON.stringify([message]));
    expect(redacted).not.toMatch(/\d{3}/);
    expect(redacted).not.toContain("jane@example.com");
    expect(JSON.parse(redacted)).toEqual([
      {
        role: "user",
        content: 'my card:\n[REDACTED_CARD]\tphone:\n[REDACTED_PHONE]\nmail:\n[REDACTED_EMAIL]\niban "[REDACTED_IBAN]"',
      },
    ]);
  });
});
