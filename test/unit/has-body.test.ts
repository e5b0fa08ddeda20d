import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasBody } from '../../src/http/has-body.js';

/** One answer to "does this request have a body?" for the time limits and the media-type check alike. */
describe('hasBody', () => {
  it('chunked, or a Content-Length above 0', () => {
    assert.equal(hasBody({ 'transfer-encoding': 'chunked' }), true);
    assert.equal(hasBody({ 'content-length': '12' }), true);
  });
  it('no body: no header, or a Content-Length of zero however written', () => {
    assert.equal(hasBody({}), false);
    for (const zero of ['0', '00', ' 0', '0 ']) assert.equal(hasBody({ 'content-length': zero }), false, JSON.stringify(zero));
  });
  it('Transfer-Encoding wins over a Content-Length of 0', () => {
    assert.equal(hasBody({ 'transfer-encoding': 'chunked', 'content-length': '0' }), true);
  });
});
