import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { UploadSigner } from '../../src/domain/storage/upload-signing.js';

describe('signed upload URLs', () => {
  // The deployment's secret (kept in its store: test/integration/deployment-secrets.test.ts).
  const secret = randomBytes(32);
  const FILE = 'TYJsPN0xtkWId0yUrXkS5pN5AQzuullIkxz5aDnDJSI';
  const NOW = Date.UTC(2030, 0, 1);
  const params = (g: { version: number; expires: number; signature: string }) => ({
    version: String(g.version),
    expires: String(g.expires),
    signature: g.signature,
  });

  it('verifies what it granted, until the grant expires', () => {
    const signer = UploadSigner.withSecret(secret, 60);
    const grant = signer.grant(FILE, 3, NOW);
    assert.equal(grant.expires, NOW / 1000 + 60);
    assert.deepEqual(signer.verify(FILE, params(grant), NOW), { ok: true, version: 3 });
    assert.deepEqual(signer.verify(FILE, params(grant), NOW + 59_000), { ok: true, version: 3 });
    const expired = signer.verify(FILE, params(grant), NOW + 60_000);
    assert.equal(expired.ok, false);
    assert.match((expired as { reason: string }).reason, /expired/);
  });

  it('refuses any change to the file id, version, expiry or signature', () => {
    const signer = UploadSigner.withSecret(secret, 60);
    const grant = signer.grant(FILE, 1, NOW);
    const good = params(grant);
    const cases: Array<[string, Record<string, string | undefined>]> = [
      ['other file', { ...good }],
      ['version', { ...good, version: '2' }],
      ['expiry pushed back', { ...good, expires: String(grant.expires + 1) }],
      ['signature', { ...good, signature: grant.signature.slice(0, -1) + (grant.signature.endsWith('A') ? 'B' : 'A') }],
      ['no signature', { ...good, signature: undefined }],
      ['version not a number', { ...good, version: '1e0' }],
    ];
    for (const [name, p] of cases) {
      const result = signer.verify(name === 'other file' ? FILE.replace('T', 'U') : FILE, p, NOW);
      assert.equal(result.ok, false, name);
    }
  });

  it('a signer with the same secret verifies what another signed; one with another secret does not; a short secret is refused', () => {
    const first = UploadSigner.withSecret(secret, 60);
    const second = UploadSigner.withSecret(secret, 60);
    const grant = first.grant(FILE, 1, NOW);
    assert.equal(second.verify(FILE, params(grant), NOW).ok, true);
    assert.equal(UploadSigner.withSecret(randomBytes(32), 60).verify(FILE, params(grant), NOW).ok, false);
    assert.throws(() => UploadSigner.withSecret(randomBytes(16), 60), /at least 32 bytes/);
  });
});
