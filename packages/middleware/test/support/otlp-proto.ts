/**
 * Just enough of the protobuf wire format to read the span names of an OTLP/HTTP protobuf
 * `ExportTraceServiceRequest`: resource_spans (1) → scope_spans (2) → spans (2) → name (5).
 */

interface Field {
  field: number;
  /** The bytes of a length-delimited field; undefined for varint and fixed-size fields. */
  bytes?: Uint8Array;
}

function varint(buf: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    const byte = buf[i++];
    if (byte === undefined) throw new Error(`protobuf: truncated varint at ${at}`);
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return { value, next: i };
    shift += 7;
  }
}

/** The top-level fields of one protobuf message. */
function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let i = 0;
  while (i < buf.length) {
    const key = varint(buf, i);
    const field = Math.floor(key.value / 8);
    const wire = key.value % 8;
    i = key.next;
    if (wire === 0) i = varint(buf, i).next;
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) {
      const len = varint(buf, i);
      out.push({ field, bytes: buf.subarray(len.next, len.next + len.value) });
      i = len.next + len.value;
      continue;
    } else throw new Error(`protobuf: unsupported wire type ${wire}`);
    out.push({ field });
  }
  if (i !== buf.length) throw new Error("protobuf: message overruns its buffer");
  return out;
}

const children = (buf: Uint8Array, field: number): Uint8Array[] =>
  fields(buf).flatMap((f) => (f.field === field && f.bytes !== undefined ? [f.bytes] : []));

/** The names of every span in an OTLP protobuf trace export request, in order. */
export function spanNames(request: Uint8Array): string[] {
  const names: string[] = [];
  for (const resourceSpans of children(request, 1)) {
    for (const scopeSpans of children(resourceSpans, 2)) {
      for (const span of children(scopeSpans, 2)) {
        const name = children(span, 5)[0];
        names.push(name === undefined ? "" : Buffer.from(name).toString("utf8"));
      }
    }
  }
  return names;
}
