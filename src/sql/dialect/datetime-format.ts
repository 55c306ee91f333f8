/**
 * Date formats of Trino's functions in DuckDB's `strftime`/`strptime` words. Trino has two
 * families: MySQL's (`date_format`, `date_parse`: `%Y-%m-%d %H:%i:%s`, where `%i` is minutes
 * and `%s` seconds) and Joda's (`format_datetime`, `parse_datetime`: `yyyy-MM-dd HH:mm:ss`).
 *
 * @example
 * mysqlToStrftime('%Y-%m-%d %H:%i:%s') // '%Y-%m-%d %H:%M:%S'
 * jodaToStrftime("yyyy-MM-dd'T'HH:mm:ss") // '%Y-%m-%dT%H:%M:%S'
 */

export class DateFormatError extends Error {
  override readonly name = 'DateFormatError';
}

const MYSQL: Record<string, string> = {
  a: '%a',
  b: '%b',
  c: '%-m',
  d: '%d',
  e: '%-d',
  f: '%f',
  H: '%H',
  h: '%I',
  I: '%I',
  i: '%M',
  j: '%j',
  k: '%-H',
  l: '%-I',
  M: '%B',
  m: '%m',
  p: '%p',
  r: '%I:%M:%S %p',
  S: '%S',
  s: '%S',
  T: '%H:%M:%S',
  W: '%A',
  w: '%w',
  Y: '%Y',
  y: '%y',
  '%': '%%',
};

export function mysqlToStrftime(format: string): string {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const spec = format[++i];
    if (spec === undefined) throw new DateFormatError(`the format '${format}' ends with a lone %`);
    const mapped = MYSQL[spec];
    if (mapped === undefined) {
      if (/[A-Za-z]/.test(spec))
        throw new DateFormatError(
          `%${spec} in '${format}' is not supported (supported: ${Object.keys(MYSQL)
            .map((k) => `%${k}`)
            .join(' ')})`,
        );
      out += spec;
      continue;
    }
    out += mapped;
  }
  return out;
}

/** Joda letters by run length: the longest matching run wins. */
const JODA: Record<string, Array<[number, string]>> = {
  y: [
    [4, '%Y'],
    [2, '%y'],
    [1, '%Y'],
  ],
  Y: [
    [4, '%Y'],
    [2, '%y'],
    [1, '%Y'],
  ],
  M: [
    [4, '%B'],
    [3, '%b'],
    [2, '%m'],
    [1, '%-m'],
  ],
  d: [
    [2, '%d'],
    [1, '%-d'],
  ],
  D: [[1, '%j']],
  H: [
    [2, '%H'],
    [1, '%-H'],
  ],
  h: [
    [2, '%I'],
    [1, '%-I'],
  ],
  m: [
    [2, '%M'],
    [1, '%-M'],
  ],
  s: [
    [2, '%S'],
    [1, '%-S'],
  ],
  S: [
    [6, '%f'],
    [3, '%g'],
    [1, '%g'],
  ],
  a: [[1, '%p']],
  E: [
    [4, '%A'],
    [1, '%a'],
  ],
  Z: [[1, '%z']],
  z: [[1, '%Z']],
};

export function jodaToStrftime(format: string): string {
  let out = '';
  for (let i = 0; i < format.length;) {
    const ch = format[i]!;
    if (ch === "'") {
      const close = format.indexOf("'", i + 1);
      if (close < 0) throw new DateFormatError(`unterminated quote in '${format}'`);
      out += close === i + 1 ? "'" : format.slice(i + 1, close).replaceAll('%', '%%');
      i = close + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(ch)) {
      out += ch === '%' ? '%%' : ch;
      i++;
      continue;
    }
    let run = 1;
    while (format[i + run] === ch) run++;
    const choices = JODA[ch];
    if (!choices) throw new DateFormatError(`the pattern letter '${ch}' in '${format}' is not supported`);
    const [, mapped] = choices.find(([n]) => run >= n)!;
    out += mapped;
    i += run;
  }
  return out;
}
