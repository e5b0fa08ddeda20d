import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { deploymentClients } from '../helpers/deployment-clients.js';
import { ROOT, serverOnEmptyDataDir } from '../helpers/server-process.js';

/**
 * The embedded default as `npm start` runs it: a real process on a free port, a real HTTP client,
 * a token from the token endpoint, and graceful shutdown on SIGTERM.
 */
describe('acceptance: npm start code path over HTTP', () => {
  const { dataDir, server } = serverOnEmptyDataDir('twinsync-acceptance-');

  // Created over HTTP by the first test, as a client would: iTwin → iModel → file upload.
  let records: { iTwinId: string; iModelId: string; storageFileId: string } | undefined;
  const demo = () => {
    assert.ok(records, 'the first test created the records');
    return records;
  };

  async function createRecords(token: string) {
    const call = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(url.startsWith('http') ? url : `${server.url}${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      assert.ok(res.ok, `${method} ${url}: ${res.status}`);
      return (await res.json()) as any;
    };
    const { iTwin } = await call('POST', '/itwins', { displayName: 'acceptance', class: 'Endeavor', subClass: 'Project' });
    const { iModel } = await call('POST', '/imodels', { iTwinId: iTwin.id, name: 'acceptance' });
    const top = await call('GET', `/storage/?iTwinId=${iTwin.id}`);
    const rootFolderId = top._links.folder.href.split('/').pop();
    const created = await call('POST', `/storage/folders/${rootFolderId}/files`, { displayName: 'model.ifc' });
    const put = await fetch(created._links.uploadUrl.href, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'ISO-10303-21;' });
    assert.equal(put.status, 201);
    const { file } = await call('POST', created._links.completeUrl.href);
    return { iTwinId: iTwin.id as string, iModelId: iModel.id as string, storageFileId: file.id as string };
  }

  it('creates a connection with a token from the token endpoint', async () => {
    const discovery = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as { token_endpoint: string };
    const [client] = await deploymentClients({ DATA_DIR: dataDir });
    const tokenResponse = await fetch(new URL(new URL(discovery.token_endpoint).pathname, server.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials&scope=itwin-platform',
    });
    assert.equal(tokenResponse.status, 200);
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };

    records = await createRecords(token);
    const { iModelId, iTwinId, storageFileId } = demo();
    const res = await fetch(`${server.url}/synchronization/imodels/storageconnections`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/vnd.bentley.itwin-platform.v1+json' },
      body: JSON.stringify({ displayName: 'acceptance', iModelId, sourceFiles: [{ storageFileId, connectorType: 'IFC' }] }),
    });
    assert.equal(res.status, 201);
    const { connection } = (await res.json()) as { connection: { id: string; iTwinId: string; displayName: string } };
    assert.equal(connection.iTwinId, iTwinId);
    assert.equal(connection.displayName, 'acceptance');
    assert.equal(res.headers.get('location'), `${server.url}/synchronization/imodels/storageconnections/${connection.id}`);

    const again = await fetch(`${server.url}/synchronization/imodels/storageconnections`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ iModelId, sourceFiles: [{ storageFileId, connectorType: 'IFC' }] }),
    });
    assert.equal(again.status, 409);
  });

  it('npm run -s token prints one token and nothing else, usable against the server', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'token', '--', '--scope', 'itwin-platform', '--sub', 'someone-else'], {
      cwd: ROOT,
      // As from a user's shell: only DATA_DIR in common with the server, and no npm log level
      // inherited from an enclosing `npm test --loglevel=…`.
      env: { ...withoutNpmLogLevel(process.env), DATA_DIR: dataDir },
    });
    assert.match(stdout, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/);
    const token = stdout.trim();
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    assert.equal(claims.sub, 'someone-else');
    // someone-else is no member of the iTwin: its iModel is "not valid" for them
    const { iModelId, storageFileId } = demo();
    const res = await fetch(`${server.url}/synchronization/imodels/storageconnections`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ iModelId, sourceFiles: [{ storageFileId, connectorType: 'IFC' }] }),
    });
    assert.equal(res.status, 422);
  });

  it('stops gracefully on SIGTERM', async () => {
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  });
});

function withoutNpmLogLevel(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => name.toLowerCase() !== 'npm_config_loglevel'));
}
