/** s3rver, a real S3 HTTP server, on 127.0.0.1 for tests (and the benchmark). */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * s3rver 3.7 runs in a child process for two reasons. Its ListObjectsV2 continuation tokens
 * are DES-encrypted, which Node 20's OpenSSL 3 offers only with `--openssl-legacy-provider`
 * (in-process, page 2 of any listing is a 500 "digital envelope routines::unsupported").
 * And its `/`-delimited listing does not descend below the delimiter on disk, so a folder
 * whose objects all lie deeper (`AWSLogs/<account>/` holds only `CloudTrail/...`) is missing
 * from CommonPrefixes; S3 lists it. The launcher walks the whole bucket instead: s3rver then
 * derives CommonPrefixes from the keys, as S3 does. It exits when the test closes its stdin.
 */
const S3RVER_LAUNCHER = `
const path = require('node:path');
const main = process.env.S3RVER_MAIN;
const utils = require(path.join(path.dirname(main), 'utils.js'));
const walk = utils.walk;
utils.walk = (dir) => walk(dir);
const S3rver = require(main);
const server = new S3rver({
  port: 0,
  address: '127.0.0.1',
  directory: process.env.S3RVER_DIRECTORY,
  silent: true,
  configureBuckets: JSON.parse(process.env.S3RVER_BUCKETS).map((name) => ({ name })),
});
server.run().then((address) => process.stdout.write(JSON.stringify({ port: address.port }) + '\\n'));
process.stdin.on('end', () => server.close().then(() => process.exit(0)));
process.stdin.resume();
`;

export interface S3rverProcess {
  readonly endpointUrl: string;
  close(): Promise<void>;
}

export async function startS3rver(directory: string, buckets: readonly string[]): Promise<S3rverProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    S3RVER_MAIN: createRequire(import.meta.url).resolve('s3rver'),
    S3RVER_DIRECTORY: directory,
    S3RVER_BUCKETS: JSON.stringify(buckets),
  };
  delete env.NODE_TEST_CONTEXT;
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', S3RVER_LAUNCHER], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('\n')) resolve((JSON.parse(stdout) as { port: number }).port);
    });
    void exited.then(() => reject(new Error(`s3rver exited before listening: ${stderr}`)));
  });
  return {
    endpointUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      child.stdin.end();
      const timer = setTimeout(() => child.kill(), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
