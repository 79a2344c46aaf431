import { findApiKeys } from "./api-keys.js";
import { findEmails } from "./email.js";
import type { Finding } from "./finding.js";
import { findIbans } from "./iban.js";
import { resolveOverlaps } from "./overlaps.js";
import { findPaymentCards } from "./payment-card.js";
import { findPhones } from "./phone.js";

/** PII finding types, most specific first: where two findings overlap, the earlier type is kept. */
export const PII_TYPES = ["api_key", "iban", "payment_card", "email", "phone"] as const;

/** One of {@link PII_TYPES}. */
export type PiiType = (typeof PII_TYPES)[number];

/**
 * Scans `text` for personal data and secrets: emails, phone numbers, payment cards (Luhn-checked),
 * IBANs (mod-97 and length-checked) and API keys / tokens. Returns findings with detector `"pii"`
 * and a {@link PiiType} as type, positions only (never the matched text), without overlaps (the
 * more specific type wins, see {@link PII_TYPES}) and sorted by start.
 */
export function detectPii(text: string): Finding[] {
  const all = [...findApiKeys(text), ...findIbans(text), ...findPaymentCards(text), ...findEmails(text), ...findPhones(text)];
  return resolveOverlaps(all, PII_TYPES);
}
