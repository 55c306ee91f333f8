/**
 * SQL as text: a tokenizer that knows strings, quoted identifiers (`"x"` and Hive's
 * `` `x` ``) and comments, so statements split on the right `;`, the shell knows when a
 * statement is complete, Athena DDL (which DuckDB cannot parse) can be read, and errors
 * point at a line and column of what the user typed.
 *
 * @example
 * splitStatements("select 1; -- a ; in a comment\nselect ';'") // two statements
 */

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'symbol';

export interface Token {
  readonly kind: TokenKind;
  /** For words and symbols the source text; for strings and quoted identifiers the unescaped content. */
  readonly value: string;
  /** Offsets in the text, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** A string, quoted identifier or comment that the text ends inside of. */
  readonly unterminated?: boolean;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const OPERATORS = ['->>', '<=', '>=', '<>', '!=', '||', '::', '->', '=>'];

/** Tokens of `text`; comments and whitespace are skipped, an unterminated comment yields an unterminated symbol. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) {
        tokens.push({ kind: 'symbol', value: '/*', start: i, end: text.length, unterminated: true });
        i = text.length;
      } else i = close + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      const kind: TokenKind = c === "'" ? 'string' : 'quoted';
      let value = '';
      let j = i + 1;
      let closed = false;
      while (j < text.length) {
        if (text[j] === c) {
          if (text[j + 1] === c) {
            value += c;
            j += 2;
            continue;
          }
          closed = true;
          j++;
          break;
        }
        value += text[j++];
      }
      tokens.push({ kind, value, start: i, end: j, ...(closed ? {} : { unterminated: true }) });
      i = j;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i))!;
      tokens.push({ kind: 'number', value: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < text.length && WORD_PART.test(text[j]!)) j++;
      tokens.push({ kind: 'word', value: text.slice(i, j), start: i, end: j });
      i = j;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i)) ?? c;
      tokens.push({ kind: 'symbol', value: op, start: i, end: i + op.length });
      i += op.length;
    }
  }
  return tokens;
}

export interface StatementText {
  /** The statement without its `;`, trimmed. */
  readonly text: string;
  /** Offset of `text` in the whole input, so positions can be reported against what the user typed. */
  readonly start: number;
}

/** The statements of a script, split at top-level `;`. Empty statements (only comments) are dropped. */
export function splitStatements(script: string): StatementText[] {
  const out: StatementText[] = [];
  let first: Token | undefined;
  let last: Token | undefined;
  const flush = () => {
    if (first && last) out.push({ text: script.slice(first.start, last.end), start: first.start });
    first = last = undefined;
  };
  for (const t of tokenize(script)) {
    if (t.kind === 'symbol' && t.value === ';') {
      flush();
      continue;
    }
    first ??= t;
    last = t;
  }
  flush();
  return out;
}

/**
 * Whether a shell buffer holds complete statements: it ends with a `;` outside any string,
 * quoted name or comment (then only whitespace or comments may follow).
 */
export function isCompleteStatement(buffer: string): boolean {
  const tokens = tokenize(buffer);
  const last = tokens.at(-1);
  return last !== undefined && last.kind === 'symbol' && last.value === ';' && !last.unterminated;
}

export interface TextPosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in characters. */
  readonly column: number;
}

export function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: [...lines.at(-1)!].length + 1 };
}

/** The line of `text` at `offset` with a caret under the offset, indented for an error message. */
export function pointAt(text: string, offset: number): string {
  const { line, column } = positionAt(text, offset);
  const lineText = text.split('\n')[line - 1] ?? '';
  return `  ${lineText}\n  ${' '.repeat(column - 1)}^`;
}

/** A name as SQL writes it: bare when it can be, double-quoted otherwise. */
export function quoteIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** Text prepared for DuckDB's parser, and the way back from its offsets to the user's text. */
export interface ParserText {
  readonly text: string;
  /** The offset in the user's text of an offset in `text`. */
  readonly original: (offset: number) => number;
}

/** A replacement of `text.slice(start, end)` (an insertion when they are equal). */
interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** A type as DuckDB's parser spells it, and the index of the token after it. */
interface ParsedType {
  readonly text: string;
  readonly next: number;
  /** Whether `text` differs from what the user wrote. */
  readonly changed: boolean;
}

const isSymbol = (t: Token | undefined, value: string) => t?.kind === 'symbol' && t.value === value;
const isWord = (t: Token | undefined, ...values: string[]) => t?.kind === 'word' && values.includes(t.value.toLowerCase());

/**
 * The Trino type at `tokens[i]` in DuckDB's words: `array(T)` is `T[]`, `row(a T, ...)` is
 * `STRUCT(a T, ...)`, `map(K, V)` keeps its form; other types (`varchar`, `decimal(10, 2)`,
 * `timestamp(3) with time zone`) are left as written. `undefined` when it is not a type
 * this can read (a row with unnamed fields, say): the text then goes to the parser as it is.
 */
function trinoType(text: string, tokens: Token[], i: number): ParsedType | undefined {
  const t = tokens[i];
  if (t?.kind !== 'word' && t?.kind !== 'quoted') return undefined;
  const open = isSymbol(tokens[i + 1], '(');
  if (isWord(t, 'array') && open) {
    const element = trinoType(text, tokens, i + 2);
    if (!element || !isSymbol(tokens[element.next], ')')) return undefined;
    return { text: `${element.text}[]`, next: element.next + 1, changed: true };
  }
  if (isWord(t, 'map') && open) {
    const key = trinoType(text, tokens, i + 2);
    if (!key || !isSymbol(tokens[key.next], ',')) return undefined;
    const value = trinoType(text, tokens, key.next + 1);
    if (!value || !isSymbol(tokens[value.next], ')')) return undefined;
    return { text: `MAP(${key.text}, ${value.text})`, next: value.next + 1, changed: key.changed || value.changed };
  }
  if (isWord(t, 'row') && open) {
    const fields: string[] = [];
    let j = i + 2;
    for (;;) {
      const name = tokens[j];
      if (name?.kind !== 'word' && name?.kind !== 'quoted') return undefined;
      const type = trinoType(text, tokens, j + 1);
      if (!type) return undefined;
      fields.push(`${text.slice(name.start, name.end)} ${type.text}`);
      j = type.next;
      if (isSymbol(tokens[j], ')')) return { text: `STRUCT(${fields.join(', ')})`, next: j + 1, changed: true };
      if (!isSymbol(tokens[j], ',')) return undefined;
      j++;
    }
  }
  // Addresses are text here: IPv4 CIDR tests work on the text (see trino_cidr_contains).
  if (isWord(t, 'ipaddress')) return { text: 'VARCHAR', next: i + 1, changed: true };
  let j = i + 1;
  if (isWord(t, 'double') && isWord(tokens[j], 'precision')) j++;
  if (open) {
    while (tokens[j] && !isSymbol(tokens[j], ')')) j++;
    if (!tokens[j]) return undefined;
    j++;
  }
  if (isWord(tokens[j], 'with', 'without') && isWord(tokens[j + 1], 'time') && isWord(tokens[j + 2], 'zone')) j += 3;
  return { text: text.slice(t.start, tokens[j - 1]!.end), next: j, changed: false };
}

/**
 * Trino's `VALUES 'a', 'b'` (rows of one column) from `tokens[from]` on, each row put in
 * parentheses as DuckDB wants it; `next` is the token after the last row.
 */
function oneColumnRows(tokens: Token[], from: number): { edits: TextEdit[]; next: number } {
  const edits: TextEdit[] = [];
  const wrap = (first: number, last: number) => {
    if (last < first) return;
    edits.push(
      { start: tokens[first]!.start, end: tokens[first]!.start, text: '(' },
      { start: tokens[last]!.end, end: tokens[last]!.end, text: ')' },
    );
  };
  let depth = 0;
  let row = from;
  let j = from;
  for (; j < tokens.length; j++) {
    const u = tokens[j]!;
    if (
      depth === 0 &&
      (isSymbol(u, ')') || isSymbol(u, ';') || isWord(u, 'order', 'limit', 'offset', 'fetch', 'union', 'except', 'intersect'))
    )
      break;
    if (isSymbol(u, '(')) depth++;
    else if (isSymbol(u, ')')) depth--;
    else if (depth === 0 && isSymbol(u, ',')) {
      wrap(row, j - 1);
      row = j + 1;
    }
  }
  wrap(row, j - 1);
  return { edits, next: j };
}

/**
 * Text for DuckDB's parser, and the way back from its offsets to the user's text. Changes:
 * - `default` quoted where it qualifies a name (`default.cloudtrail_logs`): Athena's default
 *   database, a reserved word to DuckDB;
 * - Trino's types after `AS` (in `CAST`) spelled as DuckDB's (`array(varchar)` is `varchar[]`);
 * - `TABLESAMPLE BERNOULLI (10)` a percentage, as Trino reads it; `VALUES 'a', 'b'` as rows;
 * - `AS` inserted at each offset of `aliases`: Trino takes a bare alias that is a keyword to
 *   DuckDB (`select date_trunc('day', t) day`), which the caller finds by the parser's error.
 */
export function forParser(text: string, aliases: readonly number[] = []): ParserText {
  const tokens = tokenize(text);
  const edits: TextEdit[] = aliases.map((at) => ({ start: at, end: at, text: 'AS ' }));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (isWord(t, 'default') && isSymbol(next, '.') && next!.start === t.end) {
      edits.push({ start: t.start, end: t.end, text: `"${t.value}"` });
    } else if (isWord(t, 'values') && next && !isSymbol(next, '(')) {
      const rows = oneColumnRows(tokens, i + 1);
      edits.push(...rows.edits);
      i = rows.next - 1;
    } else if (
      isWord(t, 'bernoulli', 'system') &&
      isWord(tokens[i - 1], 'tablesample') &&
      isSymbol(next, '(') &&
      tokens[i + 2]?.kind === 'number' &&
      isSymbol(tokens[i + 3], ')')
    ) {
      // Trino's TABLESAMPLE takes a percentage; DuckDB's a row count unless it says %.
      edits.push({ start: tokens[i + 2]!.end, end: tokens[i + 2]!.end, text: '%' });
    } else if (isWord(t, 'as') && (isWord(next, 'ipaddress') || (isWord(next, 'array', 'row', 'map') && isSymbol(tokens[i + 2], '(')))) {
      const type = trinoType(text, tokens, i + 1);
      if (type?.changed) {
        edits.push({ start: next!.start, end: tokens[type.next - 1]!.end, text: type.text });
        i = type.next - 1;
      }
    }
  }
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let last = 0;
  const spans: Array<{ outStart: number; outEnd: number; start: number; end: number }> = [];
  for (const e of edits) {
    out += text.slice(last, e.start);
    spans.push({ outStart: out.length, outEnd: out.length + e.text.length, start: e.start, end: e.end });
    out += e.text;
    last = e.end;
  }
  out += text.slice(last);
  return {
    text: out,
    original: (offset) => {
      let shift = 0;
      for (const s of spans) {
        if (offset < s.outStart) break;
        if (offset < s.outEnd) return s.start;
        shift = s.end - s.outEnd;
      }
      return offset + shift;
    },
  };
}

/**
 * Where `AS` would make a failed parse a bare alias: the parser stopped at a word that follows
 * the end of an expression (`select x day`, `count(*) name`). Trino's non-reserved words are
 * keywords to DuckDB's parser, which then takes them for the start of something else.
 */
export function bareAliasAt(text: string, offset: number): number | undefined {
  const tokens = tokenize(text);
  const i = tokens.findIndex((t) => t.start === offset);
  const [before, word] = [tokens[i - 1], tokens[i]];
  if (!before || word?.kind !== 'word') return undefined;
  const endsExpression =
    before.kind === 'number' ||
    before.kind === 'string' ||
    before.kind === 'quoted' ||
    isSymbol(before, ')') ||
    isSymbol(before, ']') ||
    (before.kind === 'word' && !NOT_AN_EXPRESSION_END.has(before.value.toLowerCase()));
  return endsExpression ? offset : undefined;
}

/** Words after which an alias cannot come. */
const NOT_AN_EXPRESSION_END = new Set([
  'select',
  'distinct',
  'all',
  'as',
  'from',
  'where',
  'and',
  'or',
  'not',
  'by',
  'on',
  'join',
  'having',
  'when',
  'then',
  'else',
  'case',
  'in',
  'is',
  'like',
  'between',
  'with',
  'union',
  'except',
  'intersect',
  'limit',
  'offset',
  'interval',
]);
