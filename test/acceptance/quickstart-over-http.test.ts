import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { deploymentClients } from '../helpers/deployment-clients.js';
import { ROOT, serverOnEmptyDataDir } from '../helpers/server-process.js';

const hasCurl = (() => {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * The quickstart, from nothing to a storage connection, against `npm start`'s code path on an empty
 * data folder: once with fetch, and once by running the README's own shell block, so that the
 * documented commands keep working when pasted.
 */
describe('acceptance: the quickstart path over HTTP', () => {
  const { dataDir, server } = serverOnEmptyDataDir('twinsync-quickstart-');

  it('token → iTwin → iModel → root folder → create file → upload → complete → create connection', async () => {
    assert.doesNotMatch(server.output(), /demo/i, 'no demo records on start');
    const [client] = await deploymentClients({ DATA_DIR: dataDir });
    const tokenResponse = await fetch(`${server.url}/connect/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials&scope=itwin-platform',
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const call = async (method: string, url: string, body?: unknown, accept = 'application/vnd.bentley.itwin-platform.v1+json') => {
      const res = await fetch(url.startsWith('http') ? url : `${server.url}${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, headers: res.headers, json: (await res.text().then((t) => (t ? JSON.parse(t) : undefined))) as any };
    };

    const itwin = await call('POST', '/itwins/', { displayName: 'Quickstart', class: 'Endeavor', subClass: 'Project' });
    assert.equal(itwin.status, 201);
    const iTwinId = itwin.json.iTwin.id;
    const imodel = await call('POST', '/imodels', { iTwinId, name: 'Quickstart iModel' }, 'application/vnd.bentley.itwin-platform.v2+json');
    assert.equal(imodel.status, 201);
    assert.equal(imodel.json.iModel.state, 'initialized');
    const iModelId = imodel.json.iModel.id;

    const top = await call('GET', `/storage/?iTwinId=${iTwinId}`);
    assert.equal(top.status, 200);
    const rootFolderId = top.json._links.folder.href.split('/').pop();
    const created = await call('POST', `/storage/folders/${rootFolderId}/files`, { displayName: 'model.ifc' });
    assert.equal(created.status, 202);
    const { uploadUrl, completeUrl } = created.json._links;
    assert.equal(new URL(uploadUrl.href).origin, server.url, 'the upload URL is on the server’s origin');
    assert.equal(completeUrl.href, `${server.url}/storage/files/${completeUrl.href.split('/')[5]}/complete`);
    const storageFileId = completeUrl.href.split('/')[5];

    const content = Buffer.from('ISO-10303-21;\nEND-ISO-10303-21;\n');
    const put = await fetch(uploadUrl.href, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: content });
    assert.equal(put.status, 201);
    const complete = await call('POST', completeUrl.href);
    assert.equal(complete.status, 200);
    assert.equal(complete.json.file.size, content.length);
    assert.equal(complete.json.file.id, storageFileId);

    const connection = await call('POST', '/synchronization/imodels/storageconnections', {
      displayName: 'quickstart',
      iModelId,
      sourceFiles: [{ storageFileId, connectorType: 'IFC' }],
    });
    assert.equal(connection.status, 201);
    assert.equal(connection.json.connection.iTwinId, iTwinId);
    const location = connection.headers.get('location')!;
    assert.equal((await call('GET', location)).json.connection.id, connection.json.connection.id);
    const again = await call('POST', '/synchronization/imodels/storageconnections', { iModelId, sourceFiles: [{ storageFileId, connectorType: 'IFC' }] });
    assert.equal(again.status, 409);
  });

  it('runs the README quickstart block as written', { skip: hasCurl ? undefined : 'curl is not installed' }, async () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Quickstart'));
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
    assert.ok(block, 'the Quickstart section has a sh block');
    // The same commands, pointed at this server and its data folder instead of localhost:3000 and ./data.
    const script = block.replaceAll('http://localhost:3000', server.url).replaceAll('./data/', `${dataDir}/`);
    const { stdout } = await promisify(execFile)('bash', ['-e', '-c', script], { cwd: ROOT });
    const lines = stdout.split('\n');
    assert.equal(lines[0], '201', 'upload');
    assert.equal(lines[1], '32', 'complete gives the size');
    assert.match(lines[2]!, /^[A-Za-z0-9_-]{43}$/, 'the connection id');
    assert.equal(lines[3], 'Success IFC:1', 'the run completed with one IFC job of one task');
  });

  it('stops gracefully on SIGTERM', async () => {
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  });
});
