import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { base64Url, challengeOf, randomToken, sha256 } from '../../web/src/auth/pkce.js';

/** The page's PKCE (web/src/auth/pkce.ts), including the SHA-256 it uses where the browser has no SubtleCrypto. */
describe('web page: PKCE S256', () => {
  it('makes RFC 7636’s own example challenge from its verifier', async () => {
    assert.equal(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('its own SHA-256 agrees with Node’s on every length around the block boundaries', () => {
    for (let length = 0; length <= 200; length++) {
      const message = randomBytes(length);
      assert.equal(Buffer.from(sha256(message)).toString('hex'), createHash('sha256').update(message).digest('hex'), `length ${length}`);
    }
    assert.equal(Buffer.from(sha256(new TextEncoder().encode('abc'))).toString('hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('verifiers are URL-safe and long enough (43 to 128 characters of the unreserved set)', () => {
    for (const bytes of [32, 48, 96]) {
      const verifier = randomToken(bytes);
      assert.match(verifier, /^[A-Za-z0-9_-]{43,128}$/);
    }
    assert.equal(base64Url(new Uint8Array([251, 255, 191])), '-_-_');
  });
});
