/**
 * JSON that survives a round trip through JavaScript unchanged. DuckDB's serialized SQL
 * (`json_serialize_sql`) writes 64-bit values such as `18446744073709551615` (no query
 * location), `Infinity` and `1.0`, which `JSON.parse` would round, reject or turn into an
 * integer; here such numbers
 * stay as their original text and are written back as they came.
 *
 * @example
 * stringifyLossless(parseLossless('{"a":18446744073709551615}')) // '{"a":18446744073709551615}'
 */

/** A number kept as its source text because a double cannot hold it exactly. */
export class LosslessNumber {
  constructor(readonly text: string) {}
}

export type LosslessValue = null | boolean | number | string | LosslessNumber | LosslessValue[] | { [key: string]: LosslessValue };

export function parseLossless(text: string): LosslessValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${i} of serialized SQL`);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const value = (): LosslessValue => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      const out: { [key: string]: LosslessValue } = {};
      space();
      if (text[i] === '}') return (i++, out);
      for (;;) {
        space();
        if (text[i] !== '"') fail('expected a key');
        const key = string();
        space();
        if (text[i++] !== ':') fail('expected ":"');
        out[key] = value();
        space();
        const next = text[i++];
        if (next === '}') return out;
        if (next !== ',') fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const out: LosslessValue[] = [];
      space();
      if (text[i] === ']') return (i++, out);
      for (;;) {
        out.push(value());
        space();
        const next = text[i++];
        if (next === ']') return out;
        if (next !== ',') fail('expected "," or "]"');
      }
    }
    if (c === '"') return string();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) return ((i += word.length), v);
    }
    const m = /^-?(?:Infinity|NaN|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!m) return fail('unexpected character');
    i += m[0].length;
    const n = Number(m[0]);
    // Also `1.0`: DuckDB reads a double's value back only with its point (`1` is an integer to it).
    const exact = Number.isFinite(n) && String(n) === m[0];
    return exact ? n : new LosslessNumber(m[0]);
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const out = value();
  space();
  if (i < text.length) fail('trailing text');
  return out;
}

export function stringifyLossless(value: LosslessValue): string {
  if (value instanceof LosslessNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(stringifyLossless).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${stringifyLossless(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
