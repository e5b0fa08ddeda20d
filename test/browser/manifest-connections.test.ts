import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { browserMissing, browserSession, signIn, unnamedControls } from '../helpers/browser.js';
import type { ServerProcess } from '../helpers/server-process.js';

const MC = '/synchronization/imodels/manifestconnections';

/**
 * Manifest connections in the web app (docs/web-app.md): one created through the API (as a
 * document system would), listed beside the storage connections on the iModel screen, opened, run
 * with a manifest typed into the page (the file served by a stand-in document system on this
 * machine, the connectors emulated), the run followed live to Completed, and the run shown.
 */
describe('browser: manifest connections', { skip: browserMissing() }, () => {
  // The document system: one file, at a URL the manifest will name. Listening before the service starts (its hooks come next).
  const dms = http.createServer((_, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.alloc(2048, 7)));
  before(() => new Promise<void>((resolve) => dms.listen(0, '127.0.0.1', resolve)));
  after(() => dms.close());
  const port = () => (dms.address() as AddressInfo).port;
  const session = browserSession('manifest-connections', {
    env: () => ({
      CONNECTORS: JSON.stringify({ default: { kind: 'emulate', durationMs: 1500 } }),
      MANIFEST_ALLOWED_HOSTS: `127.0.0.1:${port()}`,
      MANIFEST_ALLOWED_ADDRESSES: '127.0.0.1/32',
    }),
  });
  const { step, screenshot, problems } = session;
  const ids: { iTwin?: string; iModel?: string; connection?: string } = {};
  let server: ServerProcess;
  let page: Page;
  before(() => {
    server = session.server;
    page = session.page;
  });

  /** A write on the API as the signed-in person (the page's own token): what a document system does. */
  async function post<T>(path: string, body: unknown): Promise<T> {
    const token = await page.evaluate(() => (JSON.parse(sessionStorage.getItem('twinsync.session') ?? '{}') as { accessToken?: string }).accessToken);
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: path.startsWith('/imodels') ? 'application/vnd.bentley.itwin-platform.v2+json' : 'application/vnd.bentley.itwin-platform.v1+json',
      },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  step('signs in; a document system makes an iTwin, an iModel and a manifest connection registering its file', async () => {
    await signIn(page, server.url);
    ids.iTwin = (await post<{ iTwin: { id: string } }>('/itwins', { displayName: 'Documents', class: 'Endeavor', subClass: 'Project' })).iTwin.id;
    ids.iModel = (await post<{ iModel: { id: string } }>('/imodels', { iTwinId: ids.iTwin, name: 'Site' })).iModel.id;
    ids.connection = (
      await post<{ connection: { id: string } }>(MC, {
        iModelId: ids.iModel,
        displayName: 'Site plans from the DMS',
        authenticationType: 'Service',
        sourceFiles: [{ sourceFileId: 'doc-f5b36238' }],
      })
    ).connection.id;
  });

  step('lists the manifest connection beside the storage connections, says it is created by API, and opens it', async () => {
    await page.goto(`${server.url}/app/itwins/${ids.iTwin}/imodels/${ids.iModel}`);
    // The design system's table does not expose its caption as a name: the section's heading names it.
    const table = page.getByRole('region', { name: 'Manifest connections' });
    const link = table.getByRole('link', { name: 'Site plans from the DMS' });
    await link.waitFor();
    await page.getByText('Manifest connections are created by API').waitFor();
    assert.equal(await table.getByText('Never run').count(), 1);
    assert.deepEqual(await unnamedControls(page), []);
    await screenshot('01-listed');
    await link.click();
    await page.getByRole('heading', { level: 1, name: 'Site plans from the DMS' }).waitFor();
    await page.getByRole('region', { name: 'Source files' }).getByText('doc-f5b36238').waitFor();
  });

  step('runs it with a manifest typed in, follows the run live to Completed, and lists it', async () => {
    await page.getByRole('button', { name: 'Run with a manifest…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('File name of doc-f5b36238').fill('site-plan.dgn');
    assert.equal(await dialog.getByLabel('Connector type of doc-f5b36238').inputValue(), 'MSTN', 'guessed from the name');
    await dialog.getByLabel('Download URL of doc-f5b36238').fill(`http://127.0.0.1:${port()}/documents/site-plan.dgn?sig=test`);
    await screenshot('02-manifest');
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(new RegExp(`/manifest-connections/${ids.connection}/runs/[0-9a-f-]{36}$`));
    // Followed on the iModel's stream, no reload: Executing (the emulated connector takes 1.5 s), then Completed.
    await page.locator('[data-run-state="Completed"][data-run-result="Success"]').waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: 'doc-f5b36238' }).waitFor(); // the task, named by the document id
    await screenshot('03-run');
    await page.getByRole('link', { name: 'Site plans from the DMS' }).click();
    const runs = page.getByRole('region', { name: 'Runs' });
    await runs.getByText('Success').waitFor();
    await runs.getByRole('link').first().click();
    await page.waitForURL(/\/manifest-connections\/[^/]+\/runs\/[0-9a-f-]{36}$/);
    await page.locator('[data-run-state="Completed"]').waitFor();
    // The iModel screen's row shows the last run too.
    await page.goto(`${server.url}/app/itwins/${ids.iTwin}/imodels/${ids.iModel}`);
    await page.getByRole('region', { name: 'Manifest connections' }).getByText('Success').waitFor();
    const foreign = session.requests.filter((url) => !url.startsWith(server.url) && !url.startsWith('data:'));
    assert.deepEqual(foreign, [], 'every request went to the service');
    assert.deepEqual(problems, []);
  });
});
