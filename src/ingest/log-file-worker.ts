/** Worker thread entry: parses log files off the main thread so both cores gunzip and parse. */
import { parentPort } from 'node:worker_threads';
import { readLogFileOutcome, type LogFileJob } from './log-file-outcome.js';

parentPort!.on('message', (message: { id: number; job: LogFileJob }) => {
  parentPort!.postMessage({ id: message.id, outcome: readLogFileOutcome(message.job) });
});
