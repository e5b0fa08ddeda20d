import fs from 'node:fs';
import path from 'node:path';

/**
 * Reads a JSON file from DATA_DIR, creating it with `create()` when missing. Creation writes a
 * temporary file and hard-links it into place, which fails if another process got there first: then
 * that process's file is read. So two processes starting on an empty DATA_DIR agree on one value.
 */
export function readOrCreateJson<T>(dataDir: string, name: string, create: () => T): T {
  const file = path.join(dataDir, name);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const value = create();
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
    return value;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}
