import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';

const MB = 1024 * 1024;

/** A full garbage collection on demand, without starting node with --expose-gc. */
export function collector(): (options?: { type: 'minor' | 'major' }) => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
}

/**
 * PUT `size` bytes (64 KiB chunks, the first 4 bytes of each a counter) with Content-Length, sent by a
 * separate Node process so that this process's memory is the server's alone.
 */
export async function streamPutFromChild(href: string, size: number): Promise<{ status: number; body: string }> {
  const script = `
    const http = require('node:http');
    const { Readable } = require('node:stream');
    const chunk = Buffer.alloc(64 * 1024, 1);
    const size = ${size};
    let n = 0, sent = 0;
    const body = new Readable({ read() {
      if (sent >= size) return void this.push(null);
      const next = Buffer.from(chunk); next.writeUInt32LE(n++, 0); sent += next.length; this.push(next);
    } });
    const req = http.request(process.argv[1], { method: 'PUT', headers: { 'content-length': String(size), 'x-ms-blob-type': 'BlockBlob' } }, (res) => {
      let text = ''; res.on('data', (d) => (text += d)); res.on('end', () => process.stdout.write(JSON.stringify({ status: res.statusCode, body: text })));
    });
    body.pipe(req);`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, href], { maxBuffer: MB });
  return JSON.parse(stdout) as { status: number; body: string };
}
