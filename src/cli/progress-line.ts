/**
 * One line of progress that rewrites itself on a terminal, and stays silent elsewhere
 * (CI logs and pipes get only the final summary).
 */
import type { WriteStream } from 'node:tty';

export class ProgressLine {
  #last = 0;
  #shown = false;
  readonly enabled: boolean;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    enabled = Boolean((out as WriteStream).isTTY) && !process.env.CI,
  ) {
    this.enabled = enabled;
  }

  /** Redraws at most ten times a second. */
  update(text: string, force = false): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (!force && now - this.#last < 100) return;
    this.#last = now;
    const width = (this.out as WriteStream).columns ?? 100;
    this.out.write(`\r\x1b[2K${text.slice(0, width - 1)}`);
    this.#shown = true;
  }

  clear(): void {
    if (this.#shown) this.out.write('\r\x1b[2K');
    this.#shown = false;
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}
