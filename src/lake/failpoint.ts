/**
 * Named points where the crash-safety tests kill the process (`TRAILSCOPE_FAILPOINT=name`),
 * so "killed at any moment" is tested at every step that matters, not only where a timer
 * happens to land. Does nothing unless that variable names this point.
 */
export function failpoint(name: string): void {
  if (process.env.TRAILSCOPE_FAILPOINT === name) process.kill(process.pid, 'SIGKILL');
}
