/** Worker thread entry: parses log files off the main thread so both cores gunzip and parse. */
import { parentPort } from 'node:worker_threads';
import { StagedRowsWriter, type StagedJob } from './staged-rows-writer.js';

const writer = new StagedRowsWriter();

parentPort!.on('message', (message: { ids: number[]; jobs: StagedJob[] }) => {
  let outcomes;
  try {
    outcomes = message.jobs.map((job) => writer.read(job));
  } catch (e) {
    // Writing the staging file failed (disk full...), or a large file failed after some of its
    // rows were written: the run cannot go on.
    parentPort!.postMessage({ ids: message.ids, error: (e as Error).message });
    return;
  }
  parentPort!.postMessage({ ids: message.ids, outcomes });
});
