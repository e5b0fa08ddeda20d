import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { S3Settings } from '../../src/blobs/s3-blob-store.js';

export interface S3Server {
  endpoint: string;
  bucket: string;
  /** Settings of a store in the server's bucket under `prefix`. */
  settings(prefix: string): S3Settings;
  close(): Promise<void>;
}

/** s3rver checks signatures with these (any pair would do, as long as client and server agree). */
const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';

/**
 * The program of the child: s3rver on an ephemeral loopback port, with one bucket, its address on
 * stdout; it ends when its stdin closes (the test process ended, however).
 */
const PROGRAM = `
const S3rver = require(process.argv[1]);
const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
server.run().then((address) => console.log(JSON.stringify(address)), (error) => { console.error(error); process.exit(1); });
process.stdin.on('end', () => process.exit(0)).resume();
`;

/**
 * s3rver (an S3 emulator) in a child process, on a fresh folder: what the S3 blob store is tested
 * against. A child rather than in-process so that a test measuring this process's memory measures
 * the client's alone, and s3rver's logger never touches the test runner's process.
 */
export async function startS3Server(): Promise<S3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-s3rver-'));
  const bucket = 'twinsync-test';
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', PROGRAM, createRequire(import.meta.url).resolve('s3rver'), directory, bucket], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  const { port } = JSON.parse(line) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    settings: (prefix) => ({ bucket, prefix, endpoint, region: 'us-east-1', accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, forcePathStyle: true }),
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
