import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

/**
 * npm must show its errors and warnings to whoever runs `npm ci` or `npm start` here. A repository
 * `.npmrc` once set `loglevel=silent` so that `npm run token` printed the token alone, and with it
 * hid every failed install. `npm run -s token` is how the token is printed alone now (the
 * acceptance test in create-connection-over-http.test.ts runs it and checks for exactly one line, a
 * JWT); this test keeps the silencing `.npmrc` from coming back.
 *
 * Below `warn` is refused: `silent` hides everything and `error` hides the warnings an operator
 * needs at install (an unsupported Node version, a deprecated or skipped package). `warn` (what
 * `--quiet` means) and above are allowed.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const SILENCING_LEVELS = new Set(['silent', 'error']);

/** The `.npmrc` settings as npm reads them: `key = value` lines, `#` and `;` comments, optional quotes. */
function npmrcSettings(text: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const equals = line.indexOf('=');
    const key = (equals < 0 ? line : line.slice(0, equals)).trim().toLowerCase();
    const value =
      equals < 0
        ? 'true'
        : line
            .slice(equals + 1)
            .trim()
            .replace(/^(["'])(.*)\1$/, '$2');
    settings.set(key, value.toLowerCase());
  }
  return settings;
}

/** Why `settings` would keep npm quiet about problems, or undefined when they do not. */
function silencing(settings: Map<string, string>): string | undefined {
  const level = settings.get('loglevel');
  if (level && SILENCING_LEVELS.has(level)) return `loglevel=${level}`;
  // `silent=true` is the long form of `-s`, the same as loglevel=silent.
  if (settings.get('silent') === 'true') return 'silent=true';
  return undefined;
}

describe('npm is not silenced by the repository', () => {
  it('the repository .npmrc, if any, does not lower npm log level below warn', () => {
    const file = path.join(ROOT, '.npmrc');
    if (!fs.existsSync(file)) return;
    const why = silencing(npmrcSettings(fs.readFileSync(file, 'utf8')));
    assert.equal(why, undefined, `.npmrc sets ${why}: npm ci would hide its errors or warnings; print the token alone with npm run -s token instead`);
  });

  it('recognizes the settings that silence npm, and not the others', () => {
    const check = (text: string) => silencing(npmrcSettings(text));
    assert.equal(check('loglevel=silent'), 'loglevel=silent');
    assert.equal(check('# comment\n loglevel = "error" \n'), 'loglevel=error');
    assert.equal(check('LOGLEVEL=Silent'), 'loglevel=silent');
    assert.equal(check('silent=true'), 'silent=true');
    assert.equal(check('silent'), 'silent=true');
    assert.equal(check('# loglevel=silent\n; loglevel=silent'), undefined);
    assert.equal(check('loglevel=warn'), undefined);
    assert.equal(check('loglevel=notice\nfund=false\naudit=false'), undefined);
    assert.equal(check(''), undefined);
  });
});
