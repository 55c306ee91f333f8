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

/**
 * Quotes `default` where it qualifies a name (`default.cloudtrail_logs`): Athena's default
 * database, but a reserved word to DuckDB's parser. The only change made to SQL text before
 * parsing; offsets of the result map back to the user's text.
 */
export function forParser(text: string): ParserText {
  const tokens = tokenize(text);
  const at: number[] = [];
  let out = '';
  let last = 0;
  tokens.forEach((t, i) => {
    const next = tokens[i + 1];
    if (t.kind === 'word' && t.value.toLowerCase() === 'default' && next?.kind === 'symbol' && next.value === '.' && next.start === t.end) {
      out += `${text.slice(last, t.start)}"${t.value}"`;
      last = t.end;
      at.push(out.length - 1);
    }
  });
  out += text.slice(last);
  return { text: out, original: (offset) => offset - 2 * at.filter((a) => a < offset).length };
}
