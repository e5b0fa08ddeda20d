import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import { BuiltinIssuer } from '../../src/auth/builtin-issuer.js';
import { ALL_SCOPES, newClient, newPublicClient, WEB_CALLBACK_PATH, WEB_CLIENT_ID } from '../../src/auth/clients.js';
import { setUpSignIn } from '../../src/auth/sign-in-setup.js';
import { TokenVerifier } from '../../src/auth/token-verifier.js';
import { type Config, loadConfig } from '../../src/config.js';
import { FREE_FAILURES } from '../../src/domain/accounts/check-password.js';
import { createAccount } from '../../src/domain/accounts/create-account.js';
import { Passwords } from '../../src/domain/accounts/password.js';
import { removeAccount } from '../../src/domain/accounts/remove-account.js';
import { setPassword } from '../../src/domain/accounts/set-password.js';
import type { App } from '../../src/http/context.js';
import { SqlStore as Store } from '../../src/store/store.js';
import { freePort } from '../helpers/server-process.js';
import { Browser, CallbackReceiver, claimsOf, formTokenOf, pkcePair } from '../helpers/sign-in.js';
import { storeTargets, type TestDatabase } from '../helpers/stores.js';

const SPA = 'test-spa';
const SCOPES = 'openid profile email offline_access itwin-platform';
const PLATFORM = 'application/vnd.bentley.itwin-platform.v1+json';

/**
 * The built-in issuer's interactive sign-in (docs/sign-in.md) through a listening server and real
 * HTTP (fetch), on both stores: the page, the post, the redirect followed to a client's redirect
 * URI, the code exchanged with its PKCE verifier, the token used on the API, refresh with rotation;
 * and each way it must refuse. The sign-in clock is the test's, so codes can expire on demand; the
 * log is kept in memory and must never hold a password, a code or a token.
 */
for (const target of storeTargets) {
  describe(`sign-in: authorization code with PKCE from the built-in issuer [${target.name}]`, { skip: target.skip }, () => {
    let offsetMs = 0;
    /** When set, the sign-in clock stands still there (a slow machine cannot let a wait run out between two requests). */
    let frozenMs: number | undefined;
    const lines: string[] = [];
    const secrets: string[] = [];
    let db: TestDatabase;
    let store: Store;
    let app: App;
    let base: string;
    let receiver: CallbackReceiver;
    let passwords: Passwords;
    let issuer: BuiltinIssuer;
    let config: Config;
    let admin: { email: string; password: string };
    const ann = { email: 'Ann.Example@example.com', password: `ann-${randomBytes(6).toString('hex')}`, id: '' };

    before(async () => {
      db = await target.create();
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      config = loadConfig({ DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl, DATABASE_SCHEMA: db.schema, PUBLIC_URL: base, LOG_LEVEL: 'info' });
      store = await Store.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
      issuer = await BuiltinIssuer.load(store.deployment, config.dataDir, config.auth);
      passwords = new Passwords();
      const { firstAccount } = await setUpSignIn(store, issuer.registry, passwords, base, config.auth.admin);
      assert.ok(firstAccount?.generatedPassword, 'the first start makes an account with a password to show');
      admin = { email: firstAccount.email, password: firstAccount.generatedPassword };
      receiver = new CallbackReceiver();
      await receiver.start();
      await issuer.registry.add(newPublicClient(SPA, ALL_SCOPES, [receiver.url]));
      const made = await createAccount(store, passwords, { email: ann.email, givenName: 'Ann', surname: 'Example', password: ann.password });
      ann.id = made.account.id;
      secrets.push(admin.password, ann.password);
      const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
      app = await buildApp(config, {
        store,
        verifier: TokenVerifier.forConfig(config.auth, issuer),
        issuer,
        logger,
        passwords,
        now: () => frozenMs ?? Date.now() + offsetMs,
      });
      await app.listen({ port, host: '127.0.0.1' });
    });
    after(async () => {
      await app?.close();
      await receiver?.stop();
      await store?.close();
      await db?.drop();
    });

    function authorizeUrl(challenge: string, overrides: Record<string, string | undefined> = {}): string {
      const url = new URL('/connect/authorize', base);
      const params: Record<string, string | undefined> = {
        response_type: 'code',
        client_id: SPA,
        redirect_uri: receiver.url,
        scope: SCOPES,
        state: `state-${randomBytes(4).toString('hex')}`,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        nonce: `nonce-${randomBytes(4).toString('hex')}`,
        ...overrides,
      };
      for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
      return url.href;
    }

    /** Opens the page and posts the credentials; the answer to the post, not followed. */
    async function submit(email: string, password: string, challenge: string, overrides: Record<string, string | undefined> = {}) {
      const browser = new Browser();
      const url = authorizeUrl(challenge, overrides);
      const page = await browser.open(url);
      assert.equal(page.status, 200, page.html);
      const res = await browser.post(url, { email, password, form_token: page.formToken! });
      return { res, url, browser, state: new URL(url).searchParams.get('state')!, nonce: new URL(url).searchParams.get('nonce')! };
    }

    /** Signs in and returns the code the redirect URI got (from the Location of the 303). */
    async function codeFor(email: string, password: string, challenge: string, overrides: Record<string, string | undefined> = {}) {
      const { res, state, nonce } = await submit(email, password, challenge, overrides);
      assert.equal(res.status, 303, await res.text());
      const location = new URL(res.headers.get('location')!);
      assert.equal(location.searchParams.get('state'), state);
      const code = location.searchParams.get('code')!;
      secrets.push(code);
      return { code, state, nonce, location };
    }

    async function token(fields: Record<string, string>) {
      const res = await fetch(`${base}/connect/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
      const body = (await res.json()) as Record<string, string>;
      for (const name of ['access_token', 'refresh_token', 'id_token']) if (body[name]) secrets.push(body[name]!);
      return { status: res.status, body, headers: res.headers };
    }

    const exchange = (code: string, verifier: string, extra: Record<string, string> = {}) =>
      token({ grant_type: 'authorization_code', client_id: SPA, code, redirect_uri: receiver.url, code_verifier: verifier, ...extra });

    const api = (path: string, accessToken: string, init: RequestInit = {}) =>
      fetch(`${base}${path}`, { ...init, headers: { accept: PLATFORM, authorization: `Bearer ${accessToken}`, ...(init.headers ?? {}) } });

    it('discovery advertises the code flow with S256 PKCE, refresh tokens, public clients and userinfo', async () => {
      const discovery = (await (await fetch(`${base}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      assert.deepEqual(discovery.response_types_supported, ['code']);
      assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
      assert.deepEqual((discovery.grant_types_supported as string[]).sort(), ['authorization_code', 'client_credentials', 'refresh_token']);
      assert.ok((discovery.token_endpoint_auth_methods_supported as string[]).includes('none'));
      assert.equal(discovery.authorization_endpoint, `${base}/connect/authorize`);
      assert.equal(discovery.userinfo_endpoint, `${base}/connect/userinfo`);
      assert.equal(discovery.authorization_response_iss_parameter_supported, true);
    });

    it('the whole flow: page, password, redirect followed to the client, code for tokens with the verifier, the API as that person, refresh', async () => {
      const { verifier, challenge } = pkcePair();
      const browser = new Browser();
      const url = authorizeUrl(challenge);
      const page = await browser.open(url);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type')!, /^text\/html/);
      assert.equal(page.headers.get('cache-control'), 'no-store');
      assert.match(page.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
      assert.match(page.headers.get('content-security-policy')!, new RegExp(`form-action 'self' ${receiver.url.replace(/\/callback$/, '')}`));
      assert.match(page.html, /<label for="email">/);
      assert.match(page.html, /<label for="password">/);
      assert.match(page.html, /autocomplete="current-password"/);
      assert.doesNotMatch(page.html, /<script|https?:\/\/(?!127\.0\.0\.1)/, 'no script, nothing external');
      assert.ok(page.formToken, 'a form token');
      assert.match(browser.cookie!, /^twinsync_sign_in=/);

      // The post is answered 303 to the client's redirect URI; the browser follows it.
      const state = new URL(url).searchParams.get('state');
      const followed = await browser.post(url, { email: ann.email.toLowerCase(), password: ann.password, form_token: page.formToken! }, true);
      assert.equal(followed.status, 200);
      assert.equal(await followed.text(), 'signed in');
      const got = receiver.received.at(-1)!;
      assert.equal(got.get('state'), state);
      assert.equal(got.get('iss'), base);
      const code = got.get('code')!;
      secrets.push(code);
      assert.match(code, /^[A-Za-z0-9_-]{43}$/);

      const tokens = await exchange(code, verifier);
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      assert.equal(tokens.headers.get('cache-control'), 'no-store');
      assert.equal(tokens.body.token_type, 'Bearer');
      assert.equal(tokens.body.scope, SCOPES);
      const access = claimsOf(tokens.body.access_token!);
      assert.equal(access.sub, ann.id);
      assert.equal(access.email, ann.email);
      assert.equal(access.name, 'Ann Example');
      assert.equal(access.given_name, 'Ann');
      assert.equal(access.family_name, 'Example');
      assert.equal(access.client_id, SPA);
      assert.equal(access.aud, 'twinsync');
      const id = claimsOf(tokens.body.id_token!);
      assert.equal(id.sub, ann.id);
      assert.equal(id.aud, SPA);
      assert.equal(id.iss, base);
      assert.equal(id.nonce, new URL(url).searchParams.get('nonce'));
      assert.equal(id.email, ann.email);
      assert.equal(typeof id.auth_time, 'number');
      assert.ok(tokens.body.refresh_token);

      // The access token works on the API, as Ann; the ID token does not (its audience is the client).
      const me = await api('/users/me', tokens.body.access_token!);
      assert.equal(me.status, 200);
      const user = ((await me.json()) as { user: Record<string, unknown> }).user;
      assert.equal(user.id, ann.id);
      assert.equal(user.email, ann.email);
      assert.equal(user.displayName, 'Ann Example');
      assert.equal(user.givenName, 'Ann');
      assert.equal(user.surname, 'Example');
      const created = await api('/itwins', tokens.body.access_token!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ displayName: `Ann's iTwin ${randomBytes(3).toString('hex')}`, class: 'Endeavor', subClass: 'Project' }),
      });
      assert.equal(created.status, 201, await created.clone().text());
      assert.equal((await api('/itwins', tokens.body.access_token!)).status, 200);
      // Her iTwin's owners show her address and names.
      const iTwinId = ((await created.json()) as { iTwin: { id: string } }).iTwin.id;
      const owners = await api(`/accesscontrol/itwins/${iTwinId}/members/owners`, tokens.body.access_token!);
      assert.equal(owners.status, 200);
      const owner = ((await owners.json()) as { members: Record<string, unknown>[] }).members[0]!;
      assert.deepEqual([owner.id, owner.email, owner.givenName, owner.surname], [ann.id, ann.email, 'Ann', 'Example']);
      assert.equal((await api('/users/me', tokens.body.id_token!)).status, 401);
      // Others find her by address (the Users API's search).
      const found = await api(`/users?$search=${encodeURIComponent('ann.example')}`, tokens.body.access_token!);
      assert.equal(found.status, 200);
      assert.ok(((await found.json()) as { users: { id: string }[] }).users.some((u) => u.id === ann.id));

      const info = await fetch(`${base}/connect/userinfo`, { headers: { authorization: `Bearer ${tokens.body.access_token}` } });
      assert.equal(info.status, 200);
      assert.deepEqual(await info.json(), { sub: ann.id, email: ann.email, name: 'Ann Example', given_name: 'Ann', family_name: 'Example' });

      // Refresh: new tokens and a new refresh token; the old one is spent.
      const refreshed = await token({ grant_type: 'refresh_token', client_id: SPA, refresh_token: tokens.body.refresh_token! });
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      assert.notEqual(refreshed.body.refresh_token, tokens.body.refresh_token);
      assert.equal(claimsOf(refreshed.body.access_token!).sub, ann.id);
      assert.equal(claimsOf(refreshed.body.id_token!).nonce, undefined, 'no nonce after a refresh');
      assert.equal((await api('/users/me', refreshed.body.access_token!)).status, 200);
      const narrowed = await token({ grant_type: 'refresh_token', client_id: SPA, refresh_token: refreshed.body.refresh_token!, scope: 'itwin-platform' });
      assert.equal(narrowed.status, 200);
      assert.equal(narrowed.body.scope, 'itwin-platform');
      assert.equal(narrowed.body.id_token, undefined);

      // A spent refresh token presented again revokes the sign-in: the newest one stops working too.
      const replay = await token({ grant_type: 'refresh_token', client_id: SPA, refresh_token: tokens.body.refresh_token! });
      assert.equal(replay.status, 400);
      assert.equal(replay.body.error, 'invalid_grant');
      const after = await token({ grant_type: 'refresh_token', client_id: SPA, refresh_token: narrowed.body.refresh_token! });
      assert.equal(after.body.error, 'invalid_grant');
    });

    it('the first account made at set-up signs in through the web application’s client, at this server’s /app/callback', async () => {
      const { verifier, challenge } = pkcePair();
      const { code, location } = await codeFor(admin.email, admin.password, challenge, {
        client_id: WEB_CLIENT_ID,
        redirect_uri: `${base}${WEB_CALLBACK_PATH}`,
      });
      assert.equal(`${location.origin}${location.pathname}`, `${base}${WEB_CALLBACK_PATH}`);
      const tokens = await token({
        grant_type: 'authorization_code',
        client_id: WEB_CLIENT_ID,
        code,
        redirect_uri: `${base}${WEB_CALLBACK_PATH}`,
        code_verifier: verifier,
      });
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      assert.equal(claimsOf(tokens.body.access_token!).email, admin.email);
      assert.equal((await api('/itwins', tokens.body.access_token!)).status, 200);
    });

    it('a wrong password shows the page again with a message (200), keeps the address, never the password, and gives no code', async () => {
      const { challenge } = pkcePair();
      const { res } = await submit(ann.email, 'not-her-password', challenge);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('location'), null);
      const html = await res.text();
      assert.match(html, /role="alert"[^>]*>The e-mail address or the password is not right\./);
      assert.match(html, new RegExp(`value="${ann.email.replace(/\./g, '\\.')}"`));
      assert.doesNotMatch(html, /not-her-password/);
      assert.match(html, /aria-invalid="true"/);
      // An unknown address reads the same.
      const unknown = await submit('nobody@example.com', 'whatever-password', challenge);
      assert.equal(unknown.res.status, 200);
      assert.match(await unknown.res.text(), /The e-mail address or the password is not right\./);
    });

    it('a wrong code_verifier is refused, and spends the code', async () => {
      const { verifier, challenge } = pkcePair();
      const { code } = await codeFor(ann.email, ann.password, challenge);
      const wrong = await exchange(code, pkcePair().verifier);
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error, 'invalid_grant');
      assert.match(wrong.body.error_description!, /code_verifier/);
      assert.equal((await exchange(code, verifier)).body.error, 'invalid_grant');
    });

    it('a code works once: the second use is refused and revokes the refresh token of the first', async () => {
      const { verifier, challenge } = pkcePair();
      const { code } = await codeFor(ann.email, ann.password, challenge);
      const first = await exchange(code, verifier);
      assert.equal(first.status, 200);
      const second = await exchange(code, verifier);
      assert.equal(second.status, 400);
      assert.equal(second.body.error, 'invalid_grant');
      assert.match(second.body.error_description!, /already been used/);
      const refreshed = await token({ grant_type: 'refresh_token', client_id: SPA, refresh_token: first.body.refresh_token! });
      assert.equal(refreshed.body.error, 'invalid_grant');
    });

    it('a code expires after 60 seconds', async () => {
      const { verifier, challenge } = pkcePair();
      const { code } = await codeFor(ann.email, ann.password, challenge);
      offsetMs = 61_000;
      try {
        const late = await exchange(code, verifier);
        assert.equal(late.status, 400);
        assert.equal(late.body.error, 'invalid_grant');
        assert.match(late.body.error_description!, /expired/);
      } finally {
        offsetMs = 0;
      }
    });

    it('a code is bound to its client and redirect URI', async () => {
      const { verifier, challenge } = pkcePair();
      const { code } = await codeFor(ann.email, ann.password, challenge);
      const elsewhere = await exchange(code, verifier, { redirect_uri: `${receiver.url}/other` });
      assert.equal(elsewhere.body.error, 'invalid_grant');
      const other = await codeFor(ann.email, ann.password, challenge);
      const byWeb = await token({
        grant_type: 'authorization_code',
        client_id: WEB_CLIENT_ID,
        code: other.code,
        redirect_uri: receiver.url,
        code_verifier: verifier,
      });
      assert.equal(byWeb.body.error, 'invalid_grant');
    });

    it('an unknown client or a redirect URI not registered for it gets a page, never a redirect', async () => {
      const { challenge } = pkcePair();
      const cases: Record<string, string | undefined>[] = [
        { redirect_uri: 'https://attacker.example/callback' },
        { redirect_uri: `${receiver.url}/` },
        { redirect_uri: `${receiver.url}?x=1` },
        { redirect_uri: undefined },
        { client_id: 'nobody' },
        { client_id: undefined },
        { client_id: WEB_CLIENT_ID },
      ];
      for (const overrides of cases) {
        const page = await new Browser().open(authorizeUrl(challenge, overrides));
        assert.equal(page.status, 400, JSON.stringify(overrides));
        assert.equal(page.headers.get('location'), null, JSON.stringify(overrides));
        assert.match(page.html, /This sign-in link cannot be used/);
        assert.equal(page.formToken, undefined);
      }
      // Without Accept: text/html, OAuth's JSON.
      const res = await fetch(authorizeUrl(challenge, { client_id: 'nobody' }), { redirect: 'manual' });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { error: string }).error, 'invalid_request');
      // The post of a page is checked the same way.
      const post = await new Browser().post(authorizeUrl(challenge, { redirect_uri: 'https://attacker.example/callback' }), {
        email: ann.email,
        password: ann.password,
      });
      assert.equal(post.status, 400);
      assert.equal(post.headers.get('location'), null);
    });

    it('PKCE is required: the plain method, or no challenge, is refused at the redirect URI with state and iss', async () => {
      const { challenge } = pkcePair();
      for (const overrides of [
        { code_challenge_method: 'plain' },
        { code_challenge_method: undefined },
        { code_challenge: undefined },
        { code_challenge: 'short' },
      ]) {
        const url = authorizeUrl(challenge, overrides);
        const res = await fetch(url, { headers: { accept: 'text/html' }, redirect: 'manual' });
        assert.equal(res.status, 302, JSON.stringify(overrides));
        const location = new URL(res.headers.get('location')!);
        assert.equal(`${location.origin}${location.pathname}`, receiver.url);
        assert.equal(location.searchParams.get('error'), 'invalid_request');
        assert.equal(location.searchParams.get('state'), new URL(url).searchParams.get('state'));
        assert.equal(location.searchParams.get('iss'), base);
        assert.equal(location.searchParams.get('code'), null);
      }
    });

    it('other errors go to the redirect URI in OAuth’s words', async () => {
      const { challenge } = pkcePair();
      const expect = async (overrides: Record<string, string | undefined>, error: string) => {
        const res = await fetch(authorizeUrl(challenge, overrides), { redirect: 'manual' });
        assert.equal(res.status, 302, JSON.stringify(overrides));
        assert.equal(new URL(res.headers.get('location')!).searchParams.get('error'), error, JSON.stringify(overrides));
      };
      await expect({ response_type: 'token' }, 'unsupported_response_type');
      await expect({ response_type: undefined }, 'invalid_request');
      await expect({ scope: 'openid admin' }, 'invalid_scope');
      await expect({ prompt: 'none' }, 'login_required');
      await expect({ request: 'eyJ' }, 'request_not_supported');
      await expect({ response_mode: 'fragment' }, 'invalid_request');
      const twice = `${authorizeUrl(challenge)}&scope=openid`;
      const res = await fetch(twice, { redirect: 'manual' });
      assert.equal(new URL(res.headers.get('location')!).searchParams.get('error'), 'invalid_request');
    });

    it('a post without the page’s form token, or without its cookie, or with another browser’s, signs nobody in', async () => {
      const { challenge } = pkcePair();
      const url = authorizeUrl(challenge);
      const browser = new Browser();
      const page = await browser.open(url);
      const missing = await browser.post(url, { email: ann.email, password: ann.password });
      assert.equal(missing.status, 400);
      assert.equal(missing.headers.get('location'), null);
      assert.match(await missing.text(), /sign in again/);

      const noCookie = new Browser();
      const withoutCookie = await noCookie.post(url, { email: ann.email, password: ann.password, form_token: page.formToken! });
      assert.equal(withoutCookie.status, 400);
      assert.equal(withoutCookie.headers.get('location'), null);
      assert.match(await withoutCookie.text(), /cookie/);

      const other = new Browser();
      await other.open(url);
      const crossed = await other.post(url, { email: ann.email, password: ann.password, form_token: page.formToken! });
      assert.equal(crossed.status, 400);
      assert.equal(crossed.headers.get('location'), null);

      // A token is bound to the request it was shown for.
      const otherRequest = authorizeUrl(challenge);
      const swapped = await browser.post(otherRequest, { email: ann.email, password: ann.password, form_token: page.formToken! });
      assert.equal(swapped.status, 400);

      // Without Accept: text/html, OAuth's JSON.
      const script = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: ann.email, password: ann.password }).toString(),
        redirect: 'manual',
      });
      assert.equal(script.status, 400);
      assert.equal(((await script.json()) as { error: string }).error, 'invalid_request');

      // The page shown again carries a fresh token that works.
      const retry = await browser.open(url);
      assert.equal((await browser.post(url, { email: ann.email, password: ann.password, form_token: retry.formToken! })).status, 303);
    });

    it('after repeated wrong passwords an account waits between attempts (429, Retry-After), the right password included', async () => {
      const bob = { email: `bob-${randomBytes(3).toString('hex')}@example.com`, password: `bob-${randomBytes(6).toString('hex')}` };
      secrets.push(bob.password);
      await createAccount(store, passwords, bob);
      const { challenge } = pkcePair();
      frozenMs = Date.now();
      try {
        for (let i = 0; i < FREE_FAILURES; i++) assert.equal((await submit(bob.email, 'wrong-password', challenge)).res.status, 200);
        const held = await submit(bob.email, bob.password, challenge);
        assert.equal(held.res.status, 429);
        assert.equal(held.res.headers.get('retry-after'), '1');
        assert.match(await held.res.text(), /Too many wrong passwords/);
        // One more wrong password after the wait doubles it.
        frozenMs += 1_000;
        assert.equal((await submit(bob.email, 'wrong-password', challenge)).res.status, 200);
        assert.equal((await submit(bob.email, bob.password, challenge)).res.headers.get('retry-after'), '2');
        frozenMs += 2_000;
        assert.equal((await submit(bob.email, bob.password, challenge)).res.status, 303);
        // The success started the count again.
        assert.equal((await submit(bob.email, 'wrong-password', challenge)).res.status, 200);
        assert.equal((await submit(bob.email, bob.password, challenge)).res.status, 303);
      } finally {
        frozenMs = undefined;
      }
    });

    it('a confidential client signs people in too, authenticating with its secret at the token endpoint', async () => {
      const clientId = `portal-${randomBytes(3).toString('hex')}`;
      const client = newClient(clientId, clientId, ['itwin-platform'], [receiver.url]);
      await issuer.registry.add(client);
      const { verifier, challenge } = pkcePair();
      const { code } = await codeFor(ann.email, ann.password, challenge, { client_id: clientId, scope: 'openid itwin-platform' });
      const fields = { grant_type: 'authorization_code', code, redirect_uri: receiver.url, code_verifier: verifier };
      const anonymous = await token({ ...fields, client_id: clientId });
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.body.error, 'invalid_client');
      assert.equal(anonymous.headers.get('www-authenticate'), 'Basic realm="twinsync"');
      const { code: second } = await codeFor(ann.email, ann.password, challenge, { client_id: clientId, scope: 'openid itwin-platform' });
      const res = await fetch(`${base}/connect/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${client.clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ ...fields, code: second }).toString(),
      });
      assert.equal(res.status, 200);
      const body = (await res.json()) as Record<string, string>;
      secrets.push(body.access_token!, body.refresh_token!, body.id_token!);
      assert.equal(claimsOf(body.access_token!).sub, ann.id);
      assert.equal(claimsOf(body.access_token!).client_id, clientId);
    });

    it('when every password check of the process is taken, the page says to try again shortly (503, Retry-After)', async () => {
      // A process of the same deployment that may check no password at all: every check is refused at once.
      const busy = await buildApp(config, {
        store,
        verifier: TokenVerifier.forConfig(config.auth, issuer),
        issuer,
        logger: pino({ level: 'silent' }),
        passwords: new Passwords(0, 0),
      });
      try {
        const { challenge } = pkcePair();
        const url = authorizeUrl(challenge);
        const page = await busy.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
        const res = await busy.inject({
          method: 'POST',
          url,
          headers: { accept: 'text/html', cookie: String(page.headers['set-cookie']).split(';')[0], 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ email: ann.email, password: ann.password, form_token: formTokenOf(page.body)! }).toString(),
        });
        assert.equal(res.statusCode, 503);
        assert.equal(res.headers['retry-after'], '5');
        assert.match(res.body, /try again in a few seconds/);
      } finally {
        await busy.close();
      }
    });

    it('the token endpoint: a public client cannot use client_credentials nor send a secret; the parameters are required', async () => {
      const own = await token({ grant_type: 'client_credentials', client_id: SPA });
      assert.equal(own.status, 400);
      assert.equal(own.body.error, 'unauthorized_client');
      const secret = await token({
        grant_type: 'authorization_code',
        client_id: SPA,
        client_secret: 'x',
        code: 'c',
        redirect_uri: receiver.url,
        code_verifier: 'v'.repeat(43),
      });
      assert.equal(secret.status, 401);
      assert.equal(secret.body.error, 'invalid_client');
      assert.equal((await token({ grant_type: 'authorization_code', client_id: 'nobody', code: 'c' })).body.error, 'invalid_client');
      assert.equal(
        (await token({ grant_type: 'authorization_code', client_id: SPA, redirect_uri: receiver.url, code_verifier: 'v'.repeat(43) })).body.error,
        'invalid_request',
      );
      assert.equal((await token({ grant_type: 'authorization_code', client_id: SPA, code: 'c', redirect_uri: receiver.url })).body.error, 'invalid_request');
      assert.equal(
        (await token({ grant_type: 'authorization_code', client_id: SPA, code: 'c', redirect_uri: receiver.url, code_verifier: 'short' })).body.error,
        'invalid_request',
      );
      assert.equal(
        (await token({ grant_type: 'authorization_code', client_id: SPA, code: 'no-such-code', redirect_uri: receiver.url, code_verifier: 'v'.repeat(43) }))
          .body.error,
        'invalid_grant',
      );
      assert.equal((await token({ grant_type: 'refresh_token', client_id: SPA })).body.error, 'invalid_request');
      assert.equal((await token({ grant_type: 'refresh_token', client_id: SPA, refresh_token: 'no-such-token' })).body.error, 'invalid_grant');
    });

    it('a new password, or removing the account, ends its sign-ins; a removed account cannot sign in', async () => {
      const carol = { email: `carol-${randomBytes(3).toString('hex')}@example.com`, password: `carol-${randomBytes(6).toString('hex')}` };
      secrets.push(carol.password);
      const { account } = await createAccount(store, passwords, carol);
      const signIn = async () => {
        const { verifier, challenge } = pkcePair();
        const { code } = await codeFor(carol.email, carol.password, challenge);
        return (await exchange(code, verifier)).body;
      };
      const before = await signIn();
      const changed = await setPassword(store, passwords, account.id, carol.password);
      assert.ok(changed);
      assert.equal((await token({ grant_type: 'refresh_token', client_id: SPA, refresh_token: before.refresh_token! })).body.error, 'invalid_grant');

      const again = await signIn();
      assert.ok(await removeAccount(store, account.id));
      assert.equal((await token({ grant_type: 'refresh_token', client_id: SPA, refresh_token: again.refresh_token! })).body.error, 'invalid_grant');
      const userinfo = await fetch(`${base}/connect/userinfo`, { headers: { authorization: `Bearer ${again.access_token}` } });
      assert.equal(userinfo.status, 401);
      const { challenge } = pkcePair();
      assert.equal((await submit(carol.email, carol.password, challenge)).res.status, 200, 'the page again: no such account');
    });

    it('the log never holds a password, a code, a verifier or a token, and says who signed in by id', async () => {
      const all = lines.join('\n');
      assert.ok(secrets.length > 10);
      for (const secret of secrets) assert.ok(!all.includes(secret), `the log holds ${secret.slice(0, 12)}…`);
      const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.ok(parsed.some((l) => l.msg === 'signed in' && l.account === ann.id && l.client === SPA));
      assert.ok(parsed.some((l) => l.msg === 'sign-in refused' && l.reason === 'wrong-password'));
      assert.ok(!all.includes('not-her-password'));
      assert.ok(!all.includes('nobody@example.com'), 'a typed address that names no account is not logged');
    });
  });
}
