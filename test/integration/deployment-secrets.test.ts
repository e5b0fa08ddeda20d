import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, createLocalJWKSet, type JWK } from 'jose';
import { BuiltinIssuer } from '../../src/auth/builtin-issuer.js';
import { ALL_SCOPES, newClient } from '../../src/auth/clients.js';
import { loadDeploymentSecrets } from '../../src/auth/deployment-secrets.js';
import { TokenVerifier } from '../../src/auth/token-verifier.js';
import { loadConfig } from '../../src/config.js';
import { UploadSigner } from '../../src/domain/storage/upload-signing.js';
import { SqlStore } from '../../src/store/store.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { clientFor, createFile, newITwin, upload } from '../helpers/platform.js';
import { sharedDatabase, type SharedDatabase } from '../helpers/shared-database.js';
import { storeTargets } from '../helpers/stores.js';

const ITWINS = { accept: 'application/vnd.bentley.itwin-platform.v1+json' };

async function tokenAt(h: Harness, clientId: string, secret: string) {
  return h.app.inject({
    method: 'POST',
    url: '/connect/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `grant_type=client_credentials&client_id=${clientId}&client_secret=${secret}&scope=itwin-platform`,
  });
}

const openOn = (env: Record<string, string>) => {
  const config = loadConfig(env);
  return { config, store: SqlStore.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema }) };
};

/**
 * API processes of one deployment that share nothing but the database (each its own, empty
 * DATA_DIR, as on separate machines): the built-in issuer's key and clients, the upload-URL secret
 * and the consent-ticket secret are the store's, so each process accepts what another issued.
 */
for (const target of storeTargets) {
  describe(`deployment secrets shared through the store [${target.name}]`, { skip: target.skip }, () => {
    let shared: SharedDatabase;
    let a: Harness;
    let b: Harness;
    before(async () => {
      shared = await sharedDatabase(target);
      a = await createHarness(shared.machine());
      b = await createHarness(shared.machine());
    });
    after(async () => {
      await a?.close();
      await b?.close();
      await shared?.drop();
    });

    it('the two processes have different DATA_DIRs with no secret in them, and publish one key', async () => {
      assert.notEqual(a.config.dataDir, b.config.dataDir);
      for (const h of [a, b]) {
        const files = fs.readdirSync(h.config.dataDir);
        for (const legacy of ['issuer-key.json', 'upload-key.json', 'consent-secret.json', 'clients.json']) assert.ok(!files.includes(legacy), legacy);
      }
      const jwks = async (h: Harness) => (await h.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
      assert.deepEqual(await jwks(a), await jwks(b));
      assert.equal((await jwks(a)).keys.length, 1);
    });

    it('a token issued by one process (its token endpoint, default client) is accepted by the other', async () => {
      const [client] = await a.store.deployment.listClients();
      assert.equal(client?.clientId, 'twinsync-local');
      const res = await tokenAt(a, client.clientId, client.clientSecret!);
      assert.equal(res.statusCode, 200, res.body);
      const token = res.json().access_token as string;
      const listed = await b.app.inject({ method: 'GET', url: '/itwins', headers: { ...ITWINS, authorization: `Bearer ${token}` } });
      assert.equal(listed.statusCode, 200, listed.body);
    });

    it('a client registered through one process gets tokens from the other at once, which the first accepts', async () => {
      const client = newClient(`app-${randomBytes(3).toString('hex')}`, 'app-user', ALL_SCOPES);
      await a.issuer.registry.add(client);
      assert.equal(b.issuer.registry.has(client.clientId), false, 'b has not read the clients since');
      const res = await tokenAt(b, client.clientId, client.clientSecret!);
      assert.equal(res.statusCode, 200, res.body);
      const token = res.json().access_token as string;
      const listed = await a.app.inject({ method: 'GET', url: '/itwins', headers: { ...ITWINS, authorization: `Bearer ${token}` } });
      assert.equal(listed.statusCode, 200, listed.body);
      // Removed through b: a refuses its tokens within about a second (its periodic read).
      assert.equal(await b.issuer.registry.remove(client.clientId), true);
      await a.issuer.registry.refresh();
      const refused = await a.app.inject({ method: 'GET', url: '/itwins', headers: { ...ITWINS, authorization: `Bearer ${token}` } });
      assert.equal(refused.statusCode, 401);
    });

    it('an upload URL signed by one process is accepted by the other; a forged one is not', async () => {
      const alice = await clientFor(a, 'alice');
      const itwin = await newITwin(alice);
      const file = await createFile(alice, itwin.rootFolderId);
      const forged = file.links.uploadUrl.replace(/signature=./, (s) => `signature=${s.endsWith('A') ? 'B' : 'A'}`);
      assert.equal((await upload(b, forged, 'ISO-10303-21;')).statusCode, 403);
      const put = await upload(b, file.links.uploadUrl, 'ISO-10303-21;');
      assert.equal(put.statusCode, 201, put.body);
    });

    it('a consent ticket issued by one process opens the consent page on the other', async () => {
      const alice = await clientFor(a, 'alice');
      const info = await alice.get(`/synchronization/imodels/connections/authorizationinformation?redirectUrl=${encodeURIComponent('http://localhost:1/cb')}`);
      assert.equal(info.status, 200, info.body);
      const href = info.json().authorizationInformation._links.authorizationUrl.href as string;
      const page = await b.app.inject({ method: 'GET', url: new URL(href).pathname + new URL(href).search });
      assert.equal(page.statusCode, 200, page.body);
    });
  });

  describe(`deployment secrets: first starts and DATA_DIR files of an earlier release [${target.name}]`, { skip: target.skip }, () => {
    const dirs: string[] = [];
    const dataDir = () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-secrets-'));
      dirs.push(dir);
      return dir;
    };
    let shared: SharedDatabase;
    before(async () => {
      shared = await sharedDatabase(target);
    });
    after(async () => {
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
      await shared?.drop();
    });

    it('processes starting together on an empty database agree on one key, one secret of each kind and one default client', async () => {
      const starts = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const { config, store } = openOn(shared.env(dataDir()));
          const opened = await store;
          try {
            const [issuer, secrets] = await Promise.all([
              BuiltinIssuer.load(opened.deployment, config.dataDir, config.auth),
              loadDeploymentSecrets(opened.deployment, config.dataDir),
            ]);
            return { kid: issuer.jwks.keys[0]!.kid, upload: secrets.uploadUrls.toString('hex'), consent: secrets.consentTickets.toString('hex') };
          } finally {
            await opened.close();
          }
        }),
      );
      assert.equal(new Set(starts.map((s) => s.kid)).size, 1, 'one signing key');
      assert.equal(new Set(starts.map((s) => s.upload)).size, 1, 'one upload-URL secret');
      assert.equal(new Set(starts.map((s) => s.consent)).size, 1, 'one consent-ticket secret');
      assert.notEqual(starts[0]!.upload, starts[0]!.consent);
      const { store } = openOn(shared.env(dataDir()));
      const opened = await store;
      try {
        assert.deepEqual(
          (await opened.deployment.listClients()).map((c) => c.clientId),
          ['twinsync-local'],
        );
      } finally {
        await opened.close();
      }
    });
  });

  describe(`deployment secrets: an earlier release's DATA_DIR is imported once [${target.name}]`, { skip: target.skip }, () => {
    let legacy: string;
    let shared: SharedDatabase;
    const uploadSecret = randomBytes(32).toString('base64url');
    const consentSecret = randomBytes(32).toString('base64url');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = privateKey.export({ format: 'jwk' }) as JWK;
    const clients = [
      { clientId: 'twinsync-local', clientSecret: 'old-default-secret', subject: 'twinsync-local-user', scopes: ALL_SCOPES },
      { clientId: 'ci-bot', clientSecret: 'ci-secret', subject: 'ci', scopes: ['itwin-platform'], redirectUris: ['https://ci.example/cb'] },
    ];
    before(async () => {
      shared = await sharedDatabase(target);
      legacy = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-legacy-'));
      fs.writeFileSync(path.join(legacy, 'issuer-key.json'), JSON.stringify(jwk));
      fs.writeFileSync(path.join(legacy, 'upload-key.json'), JSON.stringify({ secret: uploadSecret }));
      fs.writeFileSync(path.join(legacy, 'consent-secret.json'), JSON.stringify({ secret: consentSecret }));
      fs.writeFileSync(path.join(legacy, 'clients.json'), JSON.stringify(clients));
    });
    after(async () => {
      fs.rmSync(legacy, { recursive: true, force: true });
      await shared?.drop();
    });

    it('keeps the old key, secrets and clients valid; renames clients.json; a client removed later stays removed', async () => {
      const { config, store } = openOn(shared.env(legacy));
      const opened = await store;
      try {
        // A token the earlier release signed with its key file, for one of its clients.
        const oldKid = await calculateJwkThumbprint({ kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, y: jwk.y! });
        const issuer = await BuiltinIssuer.load(opened.deployment, config.dataDir, config.auth);
        assert.equal(issuer.jwks.keys[0]!.kid, oldKid);
        const { token } = await issuer.issue({ subject: 'ci', clientId: 'ci-bot', scopes: ['itwin-platform'] });
        const verifier = new TokenVerifier(config.auth, createLocalJWKSet(issuer.jwks), Date.now, (id) => issuer.registry.has(id));
        assert.equal((await verifier.verify(token)).subject, 'ci');
        assert.deepEqual(issuer.clients, clients);
        assert.ok(!fs.existsSync(path.join(legacy, 'clients.json')));
        assert.ok(fs.existsSync(path.join(legacy, 'clients.json.imported')));

        const secrets = await loadDeploymentSecrets(opened.deployment, config.dataDir);
        assert.equal(secrets.uploadUrls.toString('base64url'), uploadSecret);
        assert.equal(secrets.consentTickets.toString('base64url'), consentSecret);
        // An upload URL the earlier release signed still verifies.
        const old = UploadSigner.withSecret(Buffer.from(uploadSecret, 'base64url'), 60);
        const grant = old.grant('file', 1);
        assert.equal(
          UploadSigner.withSecret(secrets.uploadUrls, 60).verify('file', { version: '1', expires: String(grant.expires), signature: grant.signature }).ok,
          true,
        );

        // Removed after the import: the next start on the same DATA_DIR does not bring it back.
        assert.equal(await issuer.registry.remove('ci-bot'), true);
        const again = await BuiltinIssuer.load(opened.deployment, config.dataDir, config.auth);
        assert.deepEqual(
          again.clients.map((c) => c.clientId),
          ['twinsync-local'],
        );
        assert.equal(again.jwks.keys[0]!.kid, oldKid);
      } finally {
        await opened.close();
      }
    });

    it('a second machine with other DATA_DIR files keeps the store’s values, and its clients.json adds only new ids', async () => {
      const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-legacy-'));
      try {
        const { privateKey: otherKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        fs.writeFileSync(path.join(elsewhere, 'issuer-key.json'), JSON.stringify(otherKey.export({ format: 'jwk' })));
        fs.writeFileSync(path.join(elsewhere, 'upload-key.json'), JSON.stringify({ secret: randomBytes(32).toString('base64url') }));
        fs.writeFileSync(
          path.join(elsewhere, 'clients.json'),
          JSON.stringify([
            { clientId: 'twinsync-local', clientSecret: 'another-secret', subject: 'someone-else', scopes: ['itwin-platform'] },
            { clientId: 'machine-b-tool', clientSecret: 'b-secret', subject: 'b', scopes: ['itwin-platform'] },
          ]),
        );
        const { config, store } = openOn(shared.env(elsewhere));
        const opened = await store;
        try {
          const warnings: string[] = [];
          const log = { info: () => {}, warn: (_: object, msg: string) => void warnings.push(msg) };
          const issuer = await BuiltinIssuer.load(opened.deployment, config.dataDir, config.auth, log);
          const oldKid = await calculateJwkThumbprint({ kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, y: jwk.y! });
          assert.equal(issuer.jwks.keys[0]!.kid, oldKid, 'the store’s key, not this machine’s file');
          assert.equal((await loadDeploymentSecrets(opened.deployment, config.dataDir)).uploadUrls.toString('base64url'), uploadSecret);
          assert.equal(issuer.registry.find('twinsync-local')?.clientSecret, 'old-default-secret');
          assert.equal(issuer.registry.find('machine-b-tool')?.clientSecret, 'b-secret');
          assert.ok(
            warnings.some((w) => /differs from the deployment secret/.test(w)),
            warnings.join('\n'),
          );
          assert.ok(
            warnings.some((w) => /differ from the store’s clients/.test(w)),
            warnings.join('\n'),
          );
        } finally {
          await opened.close();
        }
      } finally {
        fs.rmSync(elsewhere, { recursive: true, force: true });
      }
    });
  });
}
