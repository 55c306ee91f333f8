/** Child: writes one bench data set with the demo generator (an organization trail in a folder). */
import { FolderSink, generateCloudTrail } from '../../src/demo/generate.js';
import { childMain } from './child-main.js';

export interface GenerateRequest {
  readonly dir: string;
  readonly days: number;
  readonly eventsPerDay: number;
  readonly seed: string;
  /** `YYYY-MM-DD`, UTC. */
  readonly start: string;
  /** Accounts in the organization; the generator's default (3) when absent. */
  readonly accounts?: number;
}

export interface GenerateValue {
  readonly files: number;
  readonly digestFiles: number;
  readonly events: number;
  readonly bytes: number;
  readonly seconds: number;
}

childMain<GenerateRequest, GenerateValue>(async (r) => {
  const result = await generateCloudTrail(
    { days: r.days, eventsPerDay: r.eventsPerDay, seed: r.seed, start: r.start, ...(r.accounts ? { accounts: r.accounts } : {}) },
    new FolderSink(r.dir),
  );
  return { files: result.files, digestFiles: result.digestFiles, events: result.events, bytes: result.bytes, seconds: result.seconds };
});
