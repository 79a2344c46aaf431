/**
 * The `Accept` header of a scrape, and which exposition format it asks for. Prometheus sends e.g.
 * `application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*\/*;q=0.1`.
 */

/** One media range of an `Accept` header: `type/subtype` (either may be `*`), its parameters and its q-value. */
export interface MediaRange {
  /** Lower-cased, e.g. `application` or `*`. */
  type: string;
  /** Lower-cased, e.g. `openmetrics-text` or `*`. */
  subtype: string;
  /** Media type parameters (not `q`), names lower-cased, quotes removed. */
  params: Record<string, string>;
  /** The quality, 0 to 1 (1 when absent). */
  q: number;
}

/** The exposition formats `/metrics` can serve. */
export type ExpositionFormat = "openmetrics" | "prometheus";

/** Splits `text` on `separator` outside double-quoted strings (which may hold `\"`). */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted && c === "\\" && i + 1 < text.length) {
      current += c + (text[i + 1] as string);
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === separator && !quoted) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1).replace(/\\(.)/g, "$1") : value;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * Parses an `Accept` header (RFC 9110 §12.5.1) into its media ranges, in header order. Ranges that
 * are not `type/subtype` or whose q-value is malformed are left out; an absent or empty header
 * gives no ranges.
 */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (header === undefined) return [];
  const ranges: MediaRange[] = [];
  for (const element of splitOutsideQuotes(header, ",")) {
    const [mediaType = "", ...rawParams] = splitOutsideQuotes(element, ";").map((p) => p.trim());
    const slash = mediaType.indexOf("/");
    if (slash < 0) continue;
    const type = mediaType.slice(0, slash).toLowerCase();
    const subtype = mediaType.slice(slash + 1).toLowerCase();
    if (!TOKEN.test(type) || !TOKEN.test(subtype) || (type === "*" && subtype !== "*")) continue;
    const params: Record<string, string> = {};
    let q = 1;
    let valid = true;
    for (const raw of rawParams) {
      if (raw === "") continue;
      const eq = raw.indexOf("=");
      if (eq < 0) continue;
      const name = raw.slice(0, eq).trim().toLowerCase();
      const value = unquote(raw.slice(eq + 1).trim());
      if (name === "q") {
        if (!QVALUE.test(value)) valid = false;
        else q = Number(value);
        // Whatever follows q is an accept-extension, not a media type parameter.
        break;
      }
      params[name] = value;
    }
    if (valid) ranges.push({ type, subtype, params, q });
  }
  return ranges;
}

/** A format we serve: its media type and the `version` parameters that name what we render. */
interface Offer {
  type: string;
  subtype: string;
  versions: readonly string[];
}

// OpenMetrics 1.0.0 is what prom-client renders; Prometheus parses 0.0.1 the same way (as client_golang does).
const OPENMETRICS: Offer = { type: "application", subtype: "openmetrics-text", versions: ["1.0.0", "0.0.1"] };
const PROMETHEUS_TEXT: Offer = { type: "text", subtype: "plain", versions: ["0.0.4"] };

/**
 * How specifically `range` names `offer`: 3 for type/subtype with parameters, 2 for type/subtype,
 * 1 for type/*, 0 for *\/*, and -1 when it does not match (another type, or a `version` we do not serve).
 */
function specificity(range: MediaRange, offer: Offer): number {
  if (range.type === "*") return 0;
  if (range.type !== offer.type) return -1;
  if (range.subtype === "*") return 1;
  if (range.subtype !== offer.subtype) return -1;
  const version = range.params["version"];
  if (version !== undefined && !offer.versions.includes(version)) return -1;
  return Object.keys(range.params).length > 0 ? 3 : 2;
}

/** The q-value `ranges` give `offer`: that of its most specific matching range (the highest among equals), 0 if none. */
function quality(ranges: readonly MediaRange[], offer: Offer): { q: number; specificity: number } {
  let best = { q: 0, specificity: -1 };
  for (const range of ranges) {
    const s = specificity(range, offer);
    if (s > best.specificity || (s === best.specificity && range.q > best.q)) best = { q: range.q, specificity: s };
  }
  return best;
}

/**
 * The exposition format a scrape with this `Accept` header gets: OpenMetrics only when the client
 * names `application/openmetrics-text` itself (a wildcard is not asking for it) with a q-value
 * above 0 and at least as high as that of `text/plain; version=0.0.4`; the Prometheus text format otherwise
 * (also with no header at all).
 */
export function negotiateExpositionFormat(accept: string | undefined): ExpositionFormat {
  const ranges = parseAccept(accept);
  const openMetrics = quality(ranges, OPENMETRICS);
  const text = quality(ranges, PROMETHEUS_TEXT);
  return openMetrics.specificity >= 2 && openMetrics.q > 0 && openMetrics.q >= text.q ? "openmetrics" : "prometheus";
}
