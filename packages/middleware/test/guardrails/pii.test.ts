import { describe, expect, it } from "vitest";

import { ibanMod97Valid, luhnValid } from "../../src/guardrails/detectors/checksums.js";
import type { Finding } from "../../src/guardrails/detectors/finding.js";
import { detectPii } from "../../src/guardrails/detectors/pii.js";

/** The matched substrings, by type (test-side only: findings themselves never carry text). */
function matches(text: string): string[] {
  return detectPii(text).map((f) => `${f.type}:${text.slice(f.start, f.end)}`);
}

/** Fake-but-well-shaped secrets, built at runtime so secret scanners do not flag this file. */
const fake = {
  openai: "sk-" + "T3stKey9".repeat(4),
  openaiProject: "sk-proj-" + "a1B2c3D4".repeat(4),
  anthropic: "sk-ant-api03-" + "Zx9_Yw8-".repeat(5),
  aws: "AKIA" + "IOSFODNN7EXAMPL1",
  awsSession: "ASIA" + "Q2WE3RT4YU5IO6P7",
  github: "ghp_" + "A1b2C3d4E5f6".repeat(3),
  githubOauth: "gho_" + "Z9y8X7w6V5u4".repeat(3),
  slack: "xoxb-" + "1234567890-0987654321-AbCdEfGhIjKl",
  stripe: "sk_live_" + "4eC39HqLyjWD".repeat(2),
  stripeRestricted: "rk_live_" + "9zY8xW7vU6tS".repeat(2),
  google: "AIza" + "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY".slice(0, 35),
  jwt: "eyJhbGciOiJIUzI1NiJ9" + "." + "eyJzdWIiOiIxMjM0NTY3ODkwIn0" + "." + "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
};

describe("detectPii: emails", () => {
  it.each([
    ["Write to jane.doe@example.com please", "email:jane.doe@example.com"],
    ["mail: j.o+shop@mail.example.co.uk.", "email:j.o+shop@mail.example.co.uk"],
    ["<SUPPORT_TEAM@Acme-Shop.io>", "email:SUPPORT_TEAM@Acme-Shop.io"],
  ])("finds the email in %j", (text, expected) => {
    expect(matches(text)).toEqual([expected]);
  });

  it.each(["user@localhost", "@handle on twitter", "a@b", "version 1.2@3"])("does not report %j", (text) => {
    expect(detectPii(text)).toEqual([]);
  });
});

describe("detectPii: phone numbers", () => {
  it.each([
    ["Call (415) 555-0132 today", "(415) 555-0132"],
    ["Call 415-555-0132.", "415-555-0132"],
    ["Call 415.555.0132", "415.555.0132"],
    ["US: +1 (415) 555-0132", "+1 (415) 555-0132"],
    ["US: 1-800-555-0199", "1-800-555-0199"],
    ["London +44 20 7946 0958", "+44 20 7946 0958"],
    ["Phone:+442079460958", "+442079460958"],
    ["UK 020 7946 0958", "020 7946 0958"],
    ["UK mobile 07700 900123", "07700 900123"],
    ["Berlin (030) 1234567", "(030) 1234567"],
    ["Paris 01 23 45 67 89", "01 23 45 67 89"],
    ["NL 06-12345678", "06-12345678"],
    ["DE 0049 30 1234567", "0049 30 1234567"],
    ["+49 30 12345678 is the office", "+49 30 12345678"],
    ["qty 2 (415) 555-0132", "(415) 555-0132"],
    ["on 2026-11-02 415-555-0132", "415-555-0132"],
  ])("finds the phone number in %j", (text, expected) => {
    expect(matches(text)).toEqual([`phone:${expected}`]);
  });

  it.each([
    ["a date", "Delivered on 2026-11-02."],
    ["a date and time", "Delivered 2026-11-02 10:30"],
    ["a European date", "Bestellt am 02.11.2026 14 Uhr"],
    ["a slashed date", "ordered 11/02/2026"],
    ["an order id", "Where is my order AB-1234?"],
    ["a long order id", "Order AB-4155550132 is late"],
    ["a price", "It cost $1,299.99"],
    ["a European price", "Preis: 1.299.000,00 €"],
    ["a spaced price", "1 299 000 EUR"],
    ["a time", "open 09:00-17:30"],
    ["a version", "firmware 1.2.3 and 10.12.3456"],
    ["a year", "since 2024"],
    ["an IP address", "ip 192.168.100.200"],
    ["an ISBN", "ISBN 978-3-16-148410-0"],
    ["a bare digit run", "reference 4155550132"],
    ["a bare national number", "code 0123456789"],
    ["a 7-digit local number", "call 555-0132"],
    ["a too-long international number", "+1234567890123456"],
    ["a long identifier with a 0 group", "1234 0567 8901 2345 6789"],
    ["a percentage", "up 415-555-0132%"],
  ])("does not report %s", (_what, text) => {
    expect(detectPii(text).filter((f) => f.type === "phone")).toEqual([]);
  });
});

describe("detectPii: payment cards", () => {
  it.each([
    ["Visa", "4111 1111 1111 1111"],
    ["Visa compact", "4111111111111111"],
    ["Visa dashed", "4012-8888-8888-1881"],
    ["Visa 13 digits", "4222222222222"],
    ["Mastercard", "5555 5555 5555 4444"],
    ["Mastercard 2-series", "2223 0031 2200 3222"],
    ["Amex 4-6-5", "3782 822463 10005"],
    ["Discover", "6011 1111 1111 1117"],
    ["JCB", "3530111333300000"],
  ])("finds a valid %s number", (_brand, card) => {
    expect(matches(`card: ${card}, thanks`)).toEqual([`payment_card:${card}`]);
  });

  it("drops a stray short number glued on by a space", () => {
    expect(matches("4111111111111111 12/27")).toEqual(["payment_card:4111111111111111"]);
  });

  it.each([
    ["one digit changed (fails Luhn)", "4111 1111 1111 1112"],
    ["one digit changed, compact", "5555555555554445"],
    ["Luhn-valid but not a card range", "0000 0000 0000 0000"],
    ["too long", "4111 1111 1111 1111 1111 1"],
    ["inside an id", "ORD-4111111111111111"],
  ])("does not report %s, not even as a phone", (_what, text) => {
    expect(detectPii(text)).toEqual([]);
  });

  it("luhnValid", () => {
    expect(luhnValid("79927398713")).toBe(true);
    expect(luhnValid("79927398710")).toBe(false);
    expect(luhnValid("4111-1111")).toBe(false);
  });
});

describe("detectPii: IBANs", () => {
  it.each([
    ["DE", "DE89 3704 0044 0532 0130 00"],
    ["DE compact", "DE89370400440532013000"],
    ["FR", "FR14 2004 1010 0505 0001 3M02 606"],
    ["GB", "GB82 WEST 1234 5698 7654 32"],
    ["NL", "NL91 ABNA 0417 1643 00"],
    ["ES", "ES91 2100 0418 4502 0005 1332"],
    ["IT", "IT60 X054 2811 1010 0000 0123 456"],
    ["BE", "BE68 5390 0754 7034"],
    ["CH", "CH93 0076 2011 6238 5295 7"],
    ["AT", "AT61 1904 3002 3457 3201"],
    ["IE", "IE29 AIBK 9311 5212 3456 78"],
    ["PL", "PL61 1090 1014 0000 0712 1981 2874"],
    ["PT", "PT50 0002 0123 1234 5678 9015 4"],
    ["lowercase", "de89 3704 0044 0532 0130 00"],
  ])("finds a valid %s IBAN", (_country, iban) => {
    expect(matches(`Please refund to IBAN ${iban} and confirm.`)).toEqual([`iban:${iban}`]);
  });

  it.each([
    ["a bad checksum", "DE89 3704 0044 0532 0130 01"],
    ["swapped digits", "DE98 3704 0044 0532 0130 00"],
    ["one character short for DE", "DE89 3704 0044 0532 0130 0"],
    ["one character too many for BE", "BE68 5390 0754 70345"],
    ["an unknown country", "XX89 3704 0044 0532 0130 00"],
    ["a random string", "Z3XK9PL2MQ7RT4WV8YB6NC"],
    ["a random string with a country code", "DE12ABCDEFGHIJKLMNOPQR"],
    ["a random GB-shaped string", "GB00 ABCD 0000 0000 0000 00"],
  ])("does not report %s", (_what, text) => {
    expect(detectPii(`IBAN ${text} ok`).filter((f) => f.type === "iban")).toEqual([]);
  });

  it("ibanMod97Valid", () => {
    expect(ibanMod97Valid("GB82WEST12345698765432")).toBe(true);
    expect(ibanMod97Valid("GB82WEST12345698765433")).toBe(false);
    expect(ibanMod97Valid("not an iban")).toBe(false);
  });
});

describe("detectPii: API keys and tokens", () => {
  it.each(Object.entries(fake))("finds a %s key", (_family, key) => {
    expect(matches(`config: ${key} end`)).toEqual([`api_key:${key}`]);
  });

  it("finds a Bearer header, word included", () => {
    const header = `Bearer ${fake.openai.slice(3)}`;
    expect(matches(`Authorization: ${header}`)).toEqual([`api_key:${header}`]);
  });

  it.each([
    ["a hyphenated phrase", "ask-me-about-our-very-long-sale-items-today"],
    ["sk- words without digits", "sk-abcdefghijklmnopqrstuvwxyz"],
    ["a short sk- key", "sk-abc123"],
    ["AKIA with lowercase", "AKIAiosfodnn7example"],
    ["a short GitHub token", "ghp_abc123"],
    ["bearer in prose", "the bearer of bad news"],
    ["bearer followed by a plain word", "Bearer instrumentalities"],
    ["eyJ without three parts", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0"],
  ])("does not report %s", (_what, text) => {
    expect(detectPii(text)).toEqual([]);
  });
});

describe("detectPii: findings", () => {
  const text =
    `Hi, I'm jane@example.com, call +44 20 7946 0958. Card 4111 1111 1111 1111, ` +
    `IBAN DE89 3704 0044 0532 0130 00, key ${fake.openaiProject}, token ${fake.jwt}.`;
  const secrets = [
    "jane@example.com",
    "+44 20 7946 0958",
    "4111 1111 1111 1111",
    "DE89 3704 0044 0532 0130 00",
    fake.openaiProject,
    fake.jwt,
  ];

  it("never carry the matched text, only positions", () => {
    const findings = detectPii(text);
    expect(findings).toHaveLength(6);
    for (const finding of findings) {
      expect(Object.keys(finding).sort()).toEqual(["detector", "end", "start", "type"]);
      expect(finding.detector).toBe("pii");
    }
    const serialized = JSON.stringify(findings);
    for (const secret of secrets) {
      expect(serialized).not.toContain(secret);
      expect(serialized).not.toContain(secret.replace(/\s/g, ""));
    }
  });

  it("are sorted by start and point at each item", () => {
    const findings = detectPii(text);
    expect(findings.map((f) => f.start)).toEqual([...findings.map((f) => f.start)].sort((a, b) => a - b));
    expect(findings.map((f: Finding) => text.slice(f.start, f.end))).toEqual(secrets);
  });

  it("keep the more specific type where they overlap", () => {
    // A card's digits also look like an international phone number when prefixed with +.
    expect(matches("card 4111 1111 1111 1111")).toEqual(["payment_card:4111 1111 1111 1111"]);
    // A Bearer header holding a JWT is one api_key finding, not two.
    expect(matches(`Authorization: Bearer ${fake.jwt}`)).toEqual([`api_key:Bearer ${fake.jwt}`]);
  });

  it("returns nothing for ordinary text", () => {
    expect(detectPii("Where is my order AB-1234? It was due on 2026-11-02 and cost $49.99.")).toEqual([]);
    expect(detectPii("")).toEqual([]);
  });
});
