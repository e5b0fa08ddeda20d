import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { connectorErrors } from '../../src/connectors/errors.js';
import { ERROR_ARTICLES } from '../../src/domain/runs/error-articles.js';
import { ERRORS_DOC, renderErrorsDoc } from '../helpers/errors-doc.js';

const SRC = path.join(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/**
 * Every key a run or task error can carry: the descriptionKey of each failure the connectors'
 * catalogue makes (called with sample arguments), and every key written as a literal anywhere in
 * src (`errorKey: '…'` for runs, `descriptionKey: '…'` for errors made outside the catalogue).
 */
function producedKeys(): Map<string, string> {
  const keys = new Map<string, string>();
  for (const [name, make] of Object.entries(connectorErrors)) {
    const failure = (make as (...args: unknown[]) => { taskError: { descriptionKey: string } })('file.ifc', 'reason', 1, 'tail', true);
    keys.set(failure.taskError.descriptionKey, `connectorErrors.${name}`);
  }
  for (const file of sourceFiles(SRC)) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(/\b(?:errorKey|descriptionKey): '([A-Za-z]+)'/g)) {
      keys.set(match[1]!, path.relative(SRC, file));
    }
  }
  return keys;
}

describe('error articles (kbArticleLink)', () => {
  it('every error key the service can produce has an article', () => {
    const keys = producedKeys();
    assert.ok(keys.has('UserNotAuthenticated') && keys.has('ConnectorCrashed') && keys.has('SourceFileCorrupt'), 'the scan finds keys of each kind');
    const missing = [...keys].filter(([key]) => !ERROR_ARTICLES.has(key)).map(([key, where]) => `${key} (${where})`);
    assert.deepEqual(missing, [], 'add an article to src/domain/runs/error-articles.ts, then run npx tsx test/helpers/errors-doc.ts');
  });

  it('every article is of a key the service produces', () => {
    const keys = producedKeys();
    assert.deepEqual(
      [...ERROR_ARTICLES.keys()].filter((key) => !keys.has(key)),
      [],
    );
  });

  it('docs/errors.md has a section per key, as the catalogue says it (npx tsx test/helpers/errors-doc.ts writes it)', () => {
    const doc = fs.readFileSync(ERRORS_DOC, 'utf8');
    for (const key of ERROR_ARTICLES.keys()) assert.match(doc, new RegExp(`^## ${key}$`, 'm'));
    assert.equal(doc, renderErrorsDoc());
  });
});
