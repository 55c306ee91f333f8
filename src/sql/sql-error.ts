/**
 * Errors of user SQL, as a good SQL engine reports them: what is wrong, where (line and
 * column of what the user typed, with the line and a caret), and what to do next ("did you
 * mean `useridentity.username`?", "raise --timeout").
 *
 * @example
 * // line 1:8: column 'usernme' cannot be resolved; did you mean `useridentity.username`?
 * //   select usernme from cloudtrail_logs
 * //          ^
 */
import { pointAt, positionAt } from './sql-text.js';

export type SqlErrorKind =
  /** The text is not SQL the parser understands. */
  | 'syntax'
  /** A table, column, field or function that does not exist. */
  | 'not-found'
  /** A statement or table function that user SQL may not run. */
  | 'forbidden'
  /** Valid Trino that this dialect cannot translate. */
  | 'unsupported'
  | 'timeout'
  /** Stopped by `LakeSession.interrupt` (Ctrl-C in the shell). */
  | 'interrupted'
  | 'memory'
  /** Anything else the engine reports (a bad cast, a type mismatch...). */
  | 'query';

export class SqlError extends Error {
  override readonly name = 'SqlError';
  constructor(
    message: string,
    readonly kind: SqlErrorKind,
    /** 1-based position in the script, when known. */
    readonly position?: { readonly line: number; readonly column: number },
  ) {
    super(message);
  }
}

/**
 * Builds an error located in `script` (the whole text the user gave) at `offset`.
 * `offset` undefined: no location is known.
 */
export function sqlError(kind: SqlErrorKind, message: string, script?: string, offset?: number): SqlError {
  if (script === undefined || offset === undefined || offset < 0 || offset > script.length) return new SqlError(message, kind);
  const position = positionAt(script, offset);
  return new SqlError(`line ${position.line}:${position.column}: ${message}\n${pointAt(script, offset)}`, kind, position);
}

export function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length]!;
}

/**
 * The candidates closest to `word` (case-insensitive), best first; a candidate whose last
 * dotted segment is `word` counts as an exact match (`username` → `useridentity.username`).
 */
export function closest(word: string, candidates: Iterable<string>, max = 3): string[] {
  const w = word.toLowerCase();
  const limit = Math.max(2, Math.floor(w.length / 3));
  const scored: Array<[number, string]> = [];
  for (const c of new Set(candidates)) {
    const lc = c.toLowerCase();
    const last = lc.slice(lc.lastIndexOf('.') + 1);
    const d = Math.min(levenshtein(w, lc), levenshtein(w, last) + (last === lc ? 0 : 0.5));
    if (d <= limit) scored.push([d, c]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].length - b[1].length);
  const best = scored[0]?.[0] ?? 0;
  return scored
    .filter(([d]) => d <= best + 0.5)
    .slice(0, max)
    .map(([, c]) => c);
}

export function didYouMean(suggestions: readonly string[]): string {
  return suggestions.length ? `; did you mean ${suggestions.map((s) => `\`${s}\``).join(' or ')}?` : '';
}
