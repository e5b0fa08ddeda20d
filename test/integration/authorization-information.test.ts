import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import { ALL_SCOPES, newClient } from '../../src/auth/clients.js';
import { TokenVerifier } from '../../src/auth/token-verifier.js';
import { loadConsentTickets } from '../../src/auth/consent-secret.js';
import { ConsentTickets } from '../../src/domain/consent/consent-ticket.js';
import { NOT_REGISTERED } from '../../src/domain/consent/redirect-urls.js';
import { SqlStore as Store } from '../../src/store/store.js';
import { call } from '../helpers/api.js';
import { PUBLIC_URL, type Harness } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';

const AUTH_INFO = '/synchronization/imodels/connections/authorizationinformation';
const CONSENT = '/synchronization/consent';
const CALLBACK = 'http://localhost:3301/callback';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

let users = 0;
/** Consent is per user and the database is shared by the tests of a file: each test takes new users. */
const newUser = (name = 'user') => `${name}-${++users}`;

const authInfo = (h: Harness, subject: string, redirectUrl: string | null = CALLBACK, options: { scopes?: string[]; headers?: Record<string, string> } = {}) =>
  call(h, 'GET', redirectUrl === null ? AUTH_INFO : `${AUTH_INFO}?redirectUrl=${encodeURIComponent(redirectUrl)}`, { subject, ...options });

/** The authorization URL handed to `subject`, as path + query for inject. */
async function authorizationUrl(h: Harness, subject: string, redirectUrl = CALLBACK): Promise<string> {
  const res = await authInfo(h, subject, redirectUrl);
  assert.equal(res.statusCode, 200, res.body);
  const href: string = res.json().authorizationInformation._links.authorizationUrl.href;
  assert.ok(href.startsWith(`${PUBLIC_URL}${CONSENT}?ticket=`), href);
  return href.slice(PUBLIC_URL.length);
}

/** What a browser (or curl -d) sends: no bearer token, a form-encoded body. */
const submit = (h: Harness, url: string, body: string, headers: Record<string, string> = FORM) => h.app.inject({ method: 'POST', url, headers, payload: body });

const isAuthorized = async (h: Harness, subject: string) => (await authInfo(h, subject)).json().authorizationInformation.isUserAuthorized as boolean;

const consentCount = async (h: Harness) =>
  Number(
    (
      await h.store.db
        .selectFrom('user_consents')
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The ticket of an authorization URL with one character of `part` changed. */
function tamper(url: string, part: 'payload' | 'signature'): string {
  const ticket = decodeURIComponent(url.split('ticket=')[1]!);
  const [payload, signature] = ticket.split('.') as [string, string];
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  const changed = part === 'payload' ? `${flip(payload, 5)}.${signature}` : `${payload}.${flip(signature, 10)}`;
  return `${CONSENT}?ticket=${changed}`;
}

onEveryStore('authorization information and consent', ({ h, harness }) => {
  const deployment = harness({ CONSENT_REDIRECT_URLS: 'https://deploy.example/cb, https://other.example/return' });
  let tickets: ConsentTickets;
  before(async () => {
    // The same deployment secret the server loaded: tests sign tickets the server must accept (or refuse).
    tickets = await loadConsentTickets(h.store.deployment, h.config.dataDir);
  });

  describe('GET authorizationinformation', () => {
    it('200 with isUserAuthorized false and an absolute authorization URL on PUBLIC_URL, never cached', async () => {
      const res = await authInfo(h, newUser());
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /application\/json/);
      assert.equal(res.headers['cache-control'], 'no-store');
      const body = res.json();
      assert.deepEqual(Object.keys(body), ['authorizationInformation']);
      assert.equal(body.authorizationInformation.isUserAuthorized, false);
      const href = body.authorizationInformation._links.authorizationUrl.href as string;
      assert.match(href, new RegExp(`^${PUBLIC_URL}${CONSENT}\\?ticket=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$`));
    });

    it('accepts the camel-case segment, the query name in any case, and unknown query parameters', async () => {
      const res = await call(h, 'GET', `/synchronization/imodels/connections/authorizationInformation?RedirectURL=${encodeURIComponent(CALLBACK)}&x=1`, {
        subject: newUser(),
        headers: { 'content-type': 'application/json', accept: 'application/vnd.bentley.itwin-platform.v1+json' },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().authorizationInformation.isUserAuthorized, false);
    });

    it('422 InvalidAuthorizationInformationRequest when redirectUrl is missing or empty', async () => {
      for (const url of [AUTH_INFO, `${AUTH_INFO}?redirectUrl=`]) {
        const res = await call(h, 'GET', url, { subject: newUser() });
        assert.equal(res.statusCode, 422, url);
        assert.deepEqual(res.json(), {
          error: {
            code: 'InvalidAuthorizationInformationRequest',
            message: 'Cannot perform operation.',
            details: [{ code: 'MissingRequiredProperty', message: 'redirectUrl was not provided.', target: 'redirectUrl' }],
          },
        });
      }
    });

    it('422 InvalidValue for a relative, garbage, non-http(s) or repeated redirectUrl', async () => {
      const bad = [
        '/callback',
        'callback',
        'not a url',
        'http://',
        'ftp://example.com/x',
        'javascript:alert(1)',
        'file:///etc/passwd',
        `http://x/${'a'.repeat(2000)}`,
      ];
      const queries = [
        ...bad.map((u) => `redirectUrl=${encodeURIComponent(u)}`),
        `redirectUrl=${encodeURIComponent(CALLBACK)}&redirectUrl=${encodeURIComponent('https://evil.example/')}`,
      ];
      for (const query of queries) {
        const res = await call(h, 'GET', `${AUTH_INFO}?${query}`, { subject: newUser() });
        assert.equal(res.statusCode, 422, query);
        assert.deepEqual(
          res.json(),
          {
            error: {
              code: 'InvalidAuthorizationInformationRequest',
              message: 'Cannot perform operation.',
              details: [{ code: 'InvalidValue', message: 'redirectUrl should be a valid URL.', target: 'redirectUrl' }],
            },
          },
          query,
        );
      }
    });

    it('reads need synchronization:read or itwin-platform; a token without them is 401', async () => {
      assert.equal((await authInfo(h, newUser(), CALLBACK, { scopes: ['synchronization:read'] })).statusCode, 200);
      assert.equal((await authInfo(h, newUser(), CALLBACK, { scopes: ['itwin-platform'] })).statusCode, 200);
      const modify = await authInfo(h, newUser(), CALLBACK, { scopes: ['synchronization:modify'] });
      assert.equal(modify.statusCode, 401);
      assert.equal(modify.json().error.code, 'RequiredScopeMissing');
      const none = await h.app.inject({ method: 'GET', url: `${AUTH_INFO}?redirectUrl=${encodeURIComponent(CALLBACK)}` });
      assert.equal(none.statusCode, 401);
      assert.equal(none.json().error.code, 'HeaderNotFound');
    });

    it('406 for an Accept of another version (a platform-v1 operation)', async () => {
      const res = await authInfo(h, newUser(), CALLBACK, { headers: { accept: 'application/vnd.bentley.itwin-platform.v2+json' } });
      assert.equal(res.statusCode, 406);
    });
  });

  describe('consent page and decision', () => {
    it('the full flow: page, approve, 303 to redirectUrl, then authorized for that user only', async () => {
      const carol = newUser('carol');
      const dave = newUser('dave');
      const url = await authorizationUrl(h, carol);

      const page = await h.app.inject({ method: 'GET', url, headers: BROWSER });
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.headers['content-type'] as string, /^text\/html; charset=utf-8/);
      assert.equal(page.headers['cache-control'], 'no-store');
      assert.equal(page.headers['x-frame-options'], 'DENY');
      assert.equal(page.headers['referrer-policy'], 'no-referrer');
      assert.match(page.headers['content-security-policy'] as string, /default-src 'none'.*form-action 'self' http:\/\/localhost:3301.*frame-ancestors 'none'/);
      assert.ok(page.body.includes(carol), 'names the user');
      assert.ok(page.body.includes(CALLBACK), 'names the redirect target');
      assert.match(page.body, /<form method="post">/);
      assert.match(page.body, /<button type="submit" name="decision" value="approve"/);
      assert.match(page.body, /<button type="submit" name="decision" value="deny"/);
      assert.doesNotMatch(page.body, /<script|<link|<img|src=|@import|url\(/i, 'self-contained');

      const approve = await submit(h, url, 'decision=approve');
      assert.equal(approve.statusCode, 303, approve.body);
      assert.equal(approve.headers.location, CALLBACK);
      assert.equal(approve.headers['referrer-policy'], 'no-referrer');
      assert.equal(await isAuthorized(h, carol), true);
      assert.equal(await isAuthorized(h, dave), false);
      assert.equal(await h.store.consents.hasConsented(carol), true);
      assert.equal(await h.store.consents.hasConsented(dave), false);

      // Once authorized, the page says so, and approving again keeps one row.
      const again = await h.app.inject({ method: 'GET', url: await authorizationUrl(h, carol) });
      assert.match(again.body, /You have consented before/);
      const before = await consentCount(h);
      assert.equal((await submit(h, await authorizationUrl(h, carol), 'decision=approve')).statusCode, 303);
      assert.equal(await consentCount(h), before);
    });

    it('deny records nothing and returns to redirectUrl with error=access_denied (kept query, before the fragment)', async () => {
      const erin = newUser('erin');
      const before = await consentCount(h);
      const url = await authorizationUrl(h, erin, 'http://127.0.0.1:8080/done?state=xyz#frag');
      const deny = await submit(h, url, 'decision=deny');
      assert.equal(deny.statusCode, 303);
      assert.equal(deny.headers.location, 'http://127.0.0.1:8080/done?state=xyz&error=access_denied#frag');
      assert.equal(await isAuthorized(h, erin), false);
      assert.equal(await consentCount(h), before);
    });

    it('a script consents with a form post (curl -d decision=approve) or a JSON body, without a browser', async () => {
      const frank = newUser('frank');
      const res = await submit(h, await authorizationUrl(h, frank), 'decision=approve', { 'content-type': 'application/x-www-form-urlencoded', accept: '*/*' });
      assert.equal(res.statusCode, 303);
      assert.equal(await isAuthorized(h, frank), true);
      const grace = newUser('grace');
      const json = await submit(h, await authorizationUrl(h, grace), JSON.stringify({ decision: 'Approve' }), { 'content-type': 'application/json' });
      assert.equal(json.statusCode, 303);
      assert.equal(await isAuthorized(h, grace), true);
    });

    it('422 InvalidConsentRequest for a missing or unknown decision, and nothing recorded', async () => {
      const heidi = newUser('heidi');
      const url = await authorizationUrl(h, heidi);
      const missing = await submit(h, url, '');
      assert.equal(missing.statusCode, 422);
      assert.equal(missing.json().error.code, 'InvalidConsentRequest');
      assert.deepEqual(
        missing.json().error.details.map((d: { code: string; target: string }) => [d.code, d.target]),
        [['MissingRequiredProperty', 'decision']],
      );
      const unknown = await submit(h, url, 'decision=maybe');
      assert.equal(unknown.statusCode, 422);
      assert.deepEqual(unknown.json().error.details, [{ code: 'InvalidValue', message: "decision must be 'approve' or 'deny'.", target: 'decision' }]);
      assert.equal(await isAuthorized(h, heidi), false);
    });

    it('escapes what it shows: a user and a redirect URL with markup in them', async () => {
      const subject = `<b>"ivan"</b>&'x'-${++users}`;
      const url = await authorizationUrl(h, subject, 'http://localhost:3301/cb?next=<script>alert(1)</script>');
      const page = await h.app.inject({ method: 'GET', url });
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes('&lt;b&gt;&quot;ivan&quot;&lt;/b&gt;&amp;&#39;x&#39;'), page.body);
      assert.doesNotMatch(page.body, /<b>"ivan"|<script>/);
      assert.equal((await submit(h, url, 'decision=approve')).statusCode, 303);
      assert.equal(await h.store.consents.hasConsented(subject), true);
    });
  });

  describe('tickets that must be refused (403 InvalidConsentTicket, nothing recorded)', () => {
    const refused = async (url: string, reason: RegExp) => {
      const before = await consentCount(h);
      const page = await h.app.inject({ method: 'GET', url });
      assert.equal(page.statusCode, 403, `${url}: ${page.body}`);
      assert.match(page.headers['content-type'] as string, /application\/json/);
      assert.equal(page.json().error.code, 'InvalidConsentTicket');
      assert.match(page.json().error.message, reason);
      const post = await submit(h, url, 'decision=approve');
      assert.equal(post.statusCode, 403);
      assert.equal(post.json().error.code, 'InvalidConsentTicket');
      assert.equal(post.headers.location, undefined);
      assert.equal(await consentCount(h), before);
    };

    it('a tampered payload or signature', async () => {
      const judy = newUser('judy');
      const url = await authorizationUrl(h, judy);
      await refused(tamper(url, 'payload'), /not issued by this server or was altered/);
      await refused(tamper(url, 'signature'), /not issued by this server or was altered/);
      assert.equal(await isAuthorized(h, judy), false);
    });

    it('a ticket signed with another secret (another server)', async () => {
      const other = ConsentTickets.fromSecret(randomBytes(32)).issue(newUser(), CALLBACK);
      await refused(`${CONSENT}?ticket=${other}`, /not issued by this server/);
    });

    it('an expired ticket', async () => {
      const mallory = newUser('mallory');
      const expired = tickets.sign({ id: randomUUID(), subject: mallory, redirectUrl: CALLBACK, expires: Math.floor(Date.now() / 1000) - 1 });
      await refused(`${CONSENT}?ticket=${expired}`, /expired/);
      assert.equal(await isAuthorized(h, mallory), false);
      // The same claims, still valid, are accepted: only the expiry made the difference.
      const fresh = tickets.sign({ id: randomUUID(), subject: mallory, redirectUrl: CALLBACK, expires: Math.floor(Date.now() / 1000) + 60 });
      assert.equal((await submit(h, `${CONSENT}?ticket=${fresh}`, 'decision=approve')).statusCode, 303);
      assert.equal(await isAuthorized(h, mallory), true);
    });

    it('a missing or malformed ticket', async () => {
      await refused(CONSENT, /ticket parameter is required/);
      await refused(`${CONSENT}?ticket=abc`, /malformed/);
      await refused(`${CONSENT}?ticket=${'a'.repeat(20)}.${'b'.repeat(43)}`, /not issued by this server/);
      const genuine = (await authorizationUrl(h, newUser())).split('ticket=')[1];
      await refused(`${CONSENT}?ticket=${genuine}&ticket=${genuine}`, /malformed/);
    });

    it('a browser gets the refusal as an HTML page with the same status', async () => {
      const res = await h.app.inject({ method: 'GET', url: `${CONSENT}?ticket=abc`, headers: BROWSER });
      assert.equal(res.statusCode, 403);
      assert.match(res.headers['content-type'] as string, /^text\/html/);
      assert.match(res.body, /InvalidConsentTicket/);
      assert.match(res.body, /The authorization URL is not valid: the ticket is malformed\./);
    });
  });

  describe('registered redirect URLs', () => {
    let apps = 0;
    /** A token of a new client of `subject` whose registered redirect URLs are `redirectUris`. */
    async function tokenOfClient(subject: string, redirectUris: string[]): Promise<{ clientId: string; token: string }> {
      const clientId = `app-${++apps}-${randomBytes(3).toString('hex')}`;
      await h.issuer.registry.add(newClient(clientId, subject, ALL_SCOPES, redirectUris));
      return { clientId, token: (await h.issuer.issue({ subject, clientId, scopes: ['itwin-platform'] })).token };
    }
    const withToken = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
    const notRegistered = {
      error: {
        code: 'InvalidAuthorizationInformationRequest',
        message: 'Cannot perform operation.',
        details: [{ code: 'InvalidValue', message: NOT_REGISTERED, target: 'redirectUrl' }],
      },
    };

    it('422 InvalidValue for a redirectUrl that is neither registered for the client nor loopback', async () => {
      const user = newUser();
      const { token } = await tokenOfClient(user, ['https://app.example.com/done']);
      const { token: otherClient } = await tokenOfClient(user, ['https://elsewhere.example/cb']);
      const refusedUrls = [
        'https://evil.example/steal',
        'https://app.example.com/other', // another path of a registered host
        'http://app.example.com/done', // another scheme
        'https://app.example.com:8443/done', // another port
        'https://app.example.com.evil.example/done',
        'http://localhost.evil.example/callback',
        'https://elsewhere.example/cb', // registered, but for another client
      ];
      for (const url of refusedUrls) {
        const res = await authInfo(h, user, url, withToken(token));
        assert.equal(res.statusCode, 422, url);
        assert.deepEqual(res.json(), notRegistered, url);
      }
      // The built-in test clients (client-of-<user>) register none: only loopback works for them.
      assert.deepEqual((await authInfo(h, newUser(), 'https://app.example.com/done')).json(), notRegistered);
      assert.equal((await authInfo(h, user, 'https://elsewhere.example/cb', withToken(otherClient))).statusCode, 200);
    });

    it('200 for a registered URL (any query or fragment) and for loopback addresses on any port and path', async () => {
      const user = newUser();
      const { token } = await tokenOfClient(user, ['https://app.example.com/done']);
      for (const url of [
        'https://app.example.com/done',
        'https://app.example.com/done?state=abc#x',
        'http://127.0.0.1:5555/x',
        'http://[::1]:1/',
        'http://localhost/cb',
      ]) {
        const res = await authInfo(h, user, url, withToken(token));
        assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      }
    });

    it('a ticket whose redirect URL is no longer registered (or whose client is gone) is refused by the page', async () => {
      const user = newUser();
      const { clientId, token } = await tokenOfClient(user, ['https://app.example.com/done']);
      const res = await authInfo(h, user, 'https://app.example.com/done', withToken(token));
      const url = (res.json().authorizationInformation._links.authorizationUrl.href as string).slice(PUBLIC_URL.length);
      assert.equal((await h.app.inject({ method: 'GET', url })).statusCode, 200);
      await h.issuer.registry.remove(clientId);
      const page = await h.app.inject({ method: 'GET', url });
      assert.equal(page.statusCode, 403);
      assert.match(page.json().error.message, /no longer registered/);
      const post = await submit(h, url, 'decision=approve');
      assert.equal(post.statusCode, 403);
      assert.equal(post.headers.location, undefined);
      assert.equal(await h.store.consents.hasConsented(user), false);
    });
  });

  it('CONSENT_REDIRECT_URLS: redirect URLs allowed for every caller of the deployment (the list an external issuer relies on)', async () => {
    for (const url of ['https://deploy.example/cb?state=1', 'https://other.example/return']) {
      assert.equal((await authInfo(deployment, newUser(), url)).statusCode, 200, url);
    }
    assert.equal((await authInfo(deployment, newUser(), 'https://deploy.example/elsewhere')).statusCode, 422);
    assert.equal((await authInfo(h, newUser(), 'https://deploy.example/cb')).statusCode, 422, 'not where it is not configured');
  });

  describe('a consent ticket is single-use', () => {
    const used = /already been used/;

    it('after approve, the same authorization URL is refused (page and post), and nothing changes', async () => {
      const user = newUser('once');
      const url = await authorizationUrl(h, user);
      assert.equal((await submit(h, url, 'decision=approve')).statusCode, 303);
      const page = await h.app.inject({ method: 'GET', url });
      assert.equal(page.statusCode, 403);
      assert.equal(page.json().error.code, 'InvalidConsentTicket');
      assert.match(page.json().error.message, used);
      const again = await submit(h, url, 'decision=deny');
      assert.equal(again.statusCode, 403, again.body);
      assert.match(again.json().error.message, used);
      assert.equal(again.headers.location, undefined);
      assert.equal(await isAuthorized(h, user), true, 'the second use did not undo the first');
    });

    it('a deny uses the ticket too; a refused decision (422) does not', async () => {
      const user = newUser('deny-once');
      const url = await authorizationUrl(h, user);
      assert.equal((await submit(h, url, 'decision=maybe')).statusCode, 422);
      assert.equal((await submit(h, url, 'decision=deny')).statusCode, 303);
      assert.equal((await submit(h, url, 'decision=approve')).statusCode, 403);
      assert.equal(await isAuthorized(h, user), false);
    });

    it('two simultaneous submissions: exactly one is followed', async () => {
      const user = newUser('race');
      const url = await authorizationUrl(h, user);
      const answers = await Promise.all(Array.from({ length: 6 }, () => submit(h, url, 'decision=approve')));
      assert.deepEqual(answers.map((a) => a.statusCode).sort(), [303, 403, 403, 403, 403, 403]);
    });

    it('across processes: a ticket used through one API process is refused by another on the same database', async () => {
      // Another API process: its own store connection and app, the same database and DATA_DIR.
      const store = await Store.open({ databaseUrl: h.config.databaseUrl, schema: h.config.databaseSchema });
      const verifier = TokenVerifier.forConfig(h.config.auth, h.issuer);
      const other = await buildApp(h.config, { store, verifier, issuer: h.issuer, logger: pino({ level: 'silent' }) });
      try {
        const user = newUser('shared');
        const url = await authorizationUrl(h, user);
        assert.equal((await other.inject({ method: 'GET', url })).statusCode, 200, 'the other process accepts the ticket');
        assert.equal((await submit(h, url, 'decision=approve')).statusCode, 303);
        const there = await other.inject({ method: 'POST', url, headers: FORM, payload: 'decision=approve' });
        assert.equal(there.statusCode, 403);
        assert.match(there.json().error.message, used);
      } finally {
        await other.close();
        await store.close();
      }
    });
  });

  it('the operations are documented in the OpenAPI document', async () => {
    const document = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.equal(document.paths[AUTH_INFO].get.operationId, 'get-authorization-information');
    assert.deepEqual(document.paths[AUTH_INFO].get.security, [{ bearer: ['synchronization:read', 'itwin-platform'] }]);
    assert.equal(document.paths[CONSENT].get.operationId, 'get-consent-page');
    assert.equal(document.paths[CONSENT].post.operationId, 'submit-consent');
    assert.equal(document.paths[CONSENT].post.security, undefined);
  });
});

const EXTERNAL_ISSUER = { AUTH_ISSUER: 'https://login.example.com', AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks' };

onEveryStore('consent with an external issuer (no built-in token endpoint)', { env: EXTERNAL_ISSUER }, ({ h }) => {
  it('the consent form still posts form-encoded', async () => {
    const ticket = (await loadConsentTickets(h.store.deployment, h.config.dataDir)).issue('external-user', CALLBACK);
    const res = await submit(h, `${CONSENT}?ticket=${ticket}`, 'decision=approve');
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(await h.store.consents.hasConsented('external-user'), true);
  });
});
