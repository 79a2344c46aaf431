import { seededRandom } from "@agentwatch/fixtures";
import { describe, expect, it } from "vitest";

import { findKeyLike } from "../../src/guardrails/detectors/api-keys.js";
import { findEmailLike } from "../../src/guardrails/detectors/email.js";
import { findIbanLike } from "../../src/guardrails/detectors/iban.js";
import { findCardLike } from "../../src/guardrails/detectors/payment-card.js";
import { findPhoneLike } from "../../src/guardrails/detectors/phone.js";
import { detectPii } from "../../src/guardrails/detectors/pii.js";
import { findPiiToMask, PII_MASK_KINDS } from "../../src/guardrails/detectors/pii-mask.js";

/** The masked substrings, by kind (test-side only). */
function masks(text: string): string[] {
  return findPiiToMask(text).map((s) => `${s.kind}:${text.slice(s.start, s.end)}`);
}

const slices = (text: string, spans: readonly { start: number; end: number }[]) => spans.map((s) => text.slice(s.start, s.end));

const jwt = "eyJhbGciOiJIUzI1NiJ9" + "." + "eyJzdWIiOiIxMjM0NTY3ODkwIn0" + "." + "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

describe("findPiiToMask", () => {
  it.each([
    ["mail jane@example.com", "email:jane@example.com"],
    ["call +44 20 7946 0958", "phone:+44 20 7946 0958"],
    ["card 4111 1111 1111 1111", "payment_card:4111 1111 1111 1111"],
    ["IBAN GB82 WEST 1234 5698 7654 32", "iban:GB82 WEST 1234 5698 7654 32"],
    [`token ${jwt}`, `jwt:${jwt}`],
    [`Authorization: Bearer ${jwt}`, `bearer_token:Bearer ${jwt}`],
    ["key AKIAIOSFODNN7EXAMPLE", "api_key:AKIAIOSFODNN7EXAMPLE"],
  ])("names what it masks in %j", (text, expected) => {
    expect(masks(text)).toEqual([expected]);
  });

  it.each([
    ["a card failing Luhn", "card 4111 1111 1111 1112", "payment_card:4111 1111 1111 1112"],
    ["an IBAN failing mod-97", "IBAN GB82 WEST 1234 5698 7654 33", "iban:GB82 WEST 1234 5698 7654 33"],
    ["a bare phone number", "phone 4155550132", "phone:4155550132"],
    ["a short key", "key sk-abcdef1234567890", "api_key:sk-abcdef1234567890"],
    ["a short bearer token", "Bearer abc.def", "bearer_token:Bearer abc.def"],
  ])("masks what detectPii rejects: %s", (_what, text, expected) => {
    expect(detectPii(text)).toEqual([]);
    expect(masks(text)).toEqual([expected]);
  });

  it("merges overlapping spans, named after the longest", () => {
    // The digits of a mistyped IBAN happen to pass Luhn as a card: the whole IBAN is masked, as an IBAN.
    const text = "IBAN DE89 3704 0044 0532 0130 01 ok";
    expect(detectPii(text).map((f) => f.type)).toEqual(["payment_card"]);
    expect(masks(text)).toEqual(["iban:DE89 3704 0044 0532 0130 01"]);
    // A card followed by a stray number: the digit run is longer than the confirmed card.
    expect(masks("4111111111111111 12/27")).toEqual(["payment_card:4111111111111111 12"]);
  });

  it("prefers a confirmed finding over an equally long look-alike", () => {
    // 13 digits: card-like, but the phone detector confirms it.
    expect(masks("DE 0049 30 1234567")).toEqual(["phone:0049 30 1234567"]);
  });

  it("covers every detectPii finding, and returns sorted spans without overlaps, on random text", () => {
    const random = seededRandom(20261203);
    const pieces = [
      "jane@example.com",
      "+1 (415) 555-0132",
      "4111 1111 1111 1111",
      "4111 1111 1111 1112",
      "DE89370400440532013000",
      "GB82 WEST 1234 5698 7654 32",
      "Bearer ",
      jwt,
      "sk-proj-",
      "AKIAIOSFODNN7EXAMPLE",
      "0",
      "12",
      "2026-11-02",
      " ",
      "-",
      ".",
      "@",
      "\n",
      "order AB-",
      "x",
    ];
    for (let round = 0; round < 300; round++) {
      let text = "";
      const length = 1 + Math.floor(random() * 12);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
      const spans = findPiiToMask(text);
      for (let i = 1; i < spans.length; i++) expect(spans[i - 1]?.end ?? 0, text).toBeLessThanOrEqual(spans[i]?.start ?? 0);
      for (const span of spans) {
        expect(span.start, text).toBeLessThan(span.end);
        expect(PII_MASK_KINDS, text).toContain(span.kind);
      }
      for (const finding of detectPii(text)) {
        expect(
          spans.some((s) => s.start <= finding.start && finding.end <= s.end),
          `${JSON.stringify(text)}: ${finding.type}`,
        ).toBe(true);
      }
    }
  });
});

describe("look-alike finders (fail closed)", () => {
  it("findCardLike: every run of 13+ digits, whatever it is glued to", () => {
    const text = "a 4111 1111 1111 1112 b x5555555555554445y 1234-5678-9012-3456-7890 c 123456789012 d 2026-11-02";
    expect(slices(text, findCardLike(text))).toEqual(["4111 1111 1111 1112", "5555555555554445", "1234-5678-9012-3456-7890"]);
  });

  it("findIbanLike: IBAN-shaped, right length, mod-97 not checked, and enough digits", () => {
    const text = "a DE89 3704 0044 0532 0130 02 b GB82WEST12345698765433 c at10 am we meet at six and more d QWERTY12345";
    expect(slices(text, findIbanLike(text))).toEqual(["DE89 3704 0044 0532 0130 02", "GB82WEST12345698765433"]);
    // Right length for DE, but letters where the account number should be.
    expect(findIbanLike("de12 abcd efgh ijkl mnop qr")).toEqual([]);
  });

  it("findPhoneLike: bare runs of 9-15 digits standing alone", () => {
    const text = "a 4155550132 b AB-4155550132 c $123456789 d 12345678 e 1234567890123456 f 020794609";
    expect(slices(text, findPhoneLike(text))).toEqual(["4155550132", "020794609"]);
  });

  it("findEmailLike: anything shaped local@domain.tld", () => {
    const text = "a .jane@example.com-x b jöhn@example.com c user@localhost d a@b";
    expect(slices(text, findEmailLike(text))).toEqual([".jane@example.com", "hn@example.com"]);
  });

  it("findKeyLike: shorter or plainer keys and tokens", () => {
    const text = "a sk-abcdefghijklmnopqrstuvwxyz b pk_live_abcdefghijklmnop c Bearer abc d ghp_" + "a".repeat(30) + " e the bearer of";
    expect(findKeyLike(text).map((s) => `${s.family}:${text.slice(s.start, s.end)}`)).toEqual([
      "bearer:Bearer abc",
      "prefixed_secret:sk-abcdefghijklmnopqrstuvwxyz",
      "prefixed_secret:pk_live_abcdefghijklmnop",
      "github:ghp_" + "a".repeat(30),
    ]);
  });
});
