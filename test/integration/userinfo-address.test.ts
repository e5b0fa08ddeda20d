import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Harness } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';

/**
 * An external OpenID provider whose access tokens carry no address (as many do): discovery, JWKS and a
 * userinfo endpoint that answers, per access token, what the test set for its subject. twinsync finds
 * the userinfo endpoint through discovery (AUTH_USERINFO_URL unset).
 */
interface Provider {
  env: Record<string, string>;
  /** What userinfo answers per subject: claims, or an HTTP status. */
  answers: Map<string, Record<string, unknown> | number>;
  asked: string[];
  token(subject: string): Promise<string>;
  close(): void;
}

async function startProvider(): Promise<Provider> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k', alg: 'ES256', use: 'sig' };
  const answers = new Map<string, Record<string, unknown> | number>();
  const asked: string[] = [];
  const subjects = new Map<string, string>();
  let issuer = '';
  const server = http.createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration') return json(200, { issuer, jwks_uri: `${issuer}/jwks`, userinfo_endpoint: `${issuer}/userinfo` });
    if (req.url === '/jwks') return json(200, { keys: [jwk] });
    if (req.url === '/userinfo') {
      const subject = subjects.get(req.headers.authorization?.replace(/^Bearer /, '') ?? '');
      if (!subject) return json(401, { error: 'invalid_token' });
      asked.push(subject);
      const answer = answers.get(subject) ?? 500;
      return typeof answer === 'number' ? json(answer, { error: 'server_error' }) : json(200, answer);
    }
    json(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    env: { AUTH_ISSUER: issuer, AUTH_JWKS_URL: `${issuer}/jwks`, AUTH_AUDIENCE: 'itwin-platform' },
    answers,
    asked,
    async token(subject) {
      const token = await new SignJWT({ scope: 'itwin-platform', azp: 'spa' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k' })
        .setIssuer(issuer)
        .setAudience('itwin-platform')
        .setSubject(subject)
        .setExpirationTime('10m')
        .sign(privateKey);
      subjects.set(token, subject);
      return token;
    },
    close: () => server.close(),
  };
}

let provider: Provider | undefined;

onEveryStore(
  'an external provider whose tokens carry no address: the userinfo endpoint gives it',
  {
    env: async () => {
      provider?.close();
      provider = await startProvider();
      return provider.env;
    },
  },
  ({ h }) => {
    after(() => provider?.close());

    async function call(h: Harness, subject: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) {
      const token = await provider!.token(subject);
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      // Access Control v2, as the iTwin CLI asks for it.
      if (url.startsWith('/accesscontrol/')) headers.accept = 'application/vnd.bentley.itwin-platform.v2+json';
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await h.app.inject({ method, url, headers, payload: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.statusCode, body: res.body, json: () => JSON.parse(res.body) };
    }

    it('GET /users/me shows the address and names userinfo gives, asked once per user', async () => {
      provider!.answers.set('ext-ann', { sub: 'ext-ann', email: 'ann@example.com', email_verified: true, name: 'Ann Example', given_name: 'Ann' });
      const me = await call(h, 'ext-ann', 'GET', '/users/me');
      assert.equal(me.status, 200, me.body);
      assert.equal(me.json().user.email, 'ann@example.com');
      assert.equal(me.json().user.displayName, 'Ann Example');
      assert.equal(me.json().user.givenName, 'Ann');
      // Known now: later requests (with other tokens) do not ask again.
      assert.equal((await call(h, 'ext-ann', 'GET', '/users/me')).json().user.email, 'ann@example.com');
      assert.deepEqual(
        provider!.asked.filter((s) => s === 'ext-ann'),
        ['ext-ann'],
      );
    });

    it('an address for another subject, an unverified one or none is not taken', async () => {
      provider!.answers.set('ext-mallory', { sub: 'ext-victim', email: 'victim@example.com' });
      provider!.answers.set('ext-unverified', { sub: 'ext-unverified', email: 'typed@example.com', email_verified: false });
      provider!.answers.set('ext-none', { sub: 'ext-none' });
      for (const subject of ['ext-mallory', 'ext-unverified', 'ext-none']) {
        const me = await call(h, subject, 'GET', '/users/me');
        assert.equal(me.status, 200, me.body);
        assert.equal(me.json().user.email, null, subject);
      }
    });

    it('an invitation to the address userinfo gives becomes a membership at the user’s first call', async () => {
      provider!.answers.set('ext-owner', { sub: 'ext-owner', email: 'owner@example.com' });
      const created = await call(h, 'ext-owner', 'POST', '/itwins', { displayName: 'Shared', class: 'Endeavor', subClass: 'Project' });
      assert.equal(created.status, 201, created.body);
      const id = created.json().iTwin.id;
      const role = await call(h, 'ext-owner', 'POST', `/accesscontrol/itwins/${id}/roles`, { displayName: 'Reader', description: 'reads' });
      assert.equal(role.status, 201, role.body);
      const granted = await call(h, 'ext-owner', 'PATCH', `/accesscontrol/itwins/${id}/roles/${role.json().role.id}`, { permissions: ['itwins_read'] });
      assert.equal(granted.status, 200, granted.body);
      const invited = await call(h, 'ext-owner', 'POST', `/accesscontrol/itwins/${id}/members/users`, {
        members: [{ email: 'dora@example.com', roleIds: [role.json().role.id] }],
      });
      assert.equal(invited.status, 201, invited.body);
      assert.equal(invited.json().invitations[0].email, 'dora@example.com');
      // Dora's token has no address: userinfo's is the invited one, so her first call makes her a member.
      provider!.answers.set('ext-dora', { sub: 'ext-dora', email: 'dora@example.com' });
      const seen = await call(h, 'ext-dora', 'GET', `/itwins/${id}`);
      assert.equal(seen.status, 200, seen.body);
    });

    it('a provider that fails is not asked again at once; the user is known without an address meanwhile', async () => {
      provider!.answers.set('ext-eve', 503);
      const first = await call(h, 'ext-eve', 'GET', '/users/me');
      assert.equal(first.status, 200, first.body);
      assert.equal(first.json().user.email, null);
      provider!.answers.set('ext-eve', { sub: 'ext-eve', email: 'eve@example.com' });
      assert.equal((await call(h, 'ext-eve', 'GET', '/users/me')).json().user.email, null);
      assert.deepEqual(
        provider!.asked.filter((s) => s === 'ext-eve'),
        ['ext-eve'],
      );
    });
  },
);
