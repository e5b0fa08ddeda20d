import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { ConnectorInput } from './connector.js';
import { connectorErrors } from './errors.js';

/**
 * Proves the content a sync task is about to read is the content the store recorded: present,
 * readable, of the recorded size and SHA-256. Streams the file (source files run to gigabytes).
 * Returns the SHA-256 it computed (hex), which equals `input.contentHash` whenever that is known.
 * Failures are non-retryable ConnectorFailures: reading the same bad file again cannot help.
 */
export async function checkSourceFile(input: ConnectorInput): Promise<string> {
  const { fileName, filePath, signal } = input;
  if (!filePath) throw connectorErrors.fileUnreadable(fileName, 'no content was uploaded');

  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(filePath);
  } catch (error) {
    throw connectorErrors.fileUnreadable(fileName, describe(error));
  }
  if (!stat.isFile()) throw connectorErrors.fileUnreadable(fileName, 'the stored content is not a file');
  if (stat.size !== input.size) throw connectorErrors.fileIncomplete(fileName, stat.size, input.size);

  const hash = createHash('sha256');
  let read = 0;
  try {
    for await (const chunk of fs.createReadStream(filePath, { signal })) {
      hash.update(chunk as Buffer);
      read += (chunk as Buffer).length;
    }
  } catch (error) {
    if (signal.aborted) throw connectorErrors.aborted(fileName);
    throw connectorErrors.fileUnreadable(fileName, describe(error));
  }
  // The file may have been cut short between stat and read.
  if (read !== input.size) throw connectorErrors.fileIncomplete(fileName, read, input.size);
  const digest = hash.digest('hex');
  if (input.contentHash && input.contentHash.toLowerCase() !== digest) throw connectorErrors.fileCorrupt(fileName);
  return digest;
}

/** The reason without the server's paths: task errors are shown to API clients. */
function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'the stored content is missing';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'the stored content is not a file';
  return code ? `read error ${code}` : 'read error';
}
