import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, launchChromium, screenshots, unnamedControls } from '../helpers/browser.js';
import { api, localClientToken, signedInPage } from '../helpers/browser-session.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';

const MC = '/synchronization/imodels/manifestconnections';

/**
 * Manifest connections in the web app (docs/web-app.md): one created through the API (as a
 * document system would), listed beside the storage connections on the iModel screen, opened, run
 * with a manifest typed into the page (the file served by a stand-in document system on this
 * machine, the connectors emulated), the run followed live to Completed, and the run shown.
 */
describe('browser: manifest connections', { skip: browserMissing() }, () => {
  const screenshot = screenshots('manifest-connections');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-browser-manifest-'));
  let server: ServerProcess;
  let dms: http.Server;
  let dmsUrl: string;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let foreign: string[];
  const ids: { iTwin?: string; iModel?: string; connection?: string } = {};

  before(async () => {
    // The document system: one file, at a URL the manifest will name.
    dms = http.createServer((_, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.alloc(2048, 7)));
    await new Promise<void>((resolve) => dms.listen(0, '127.0.0.1', resolve));
    const port = (dms.address() as AddressInfo).port;
    dmsUrl = `http://127.0.0.1:${port}/documents/site-plan.dgn?sig=test`;
    server = await startServerProcess({
      DATA_DIR: dataDir,
      CONNECTORS: JSON.stringify({ default: { kind: 'emulate', durationMs: 1500 } }),
      MANIFEST_ALLOWED_HOSTS: `127.0.0.1:${port}`,
      MANIFEST_ALLOWED_ADDRESSES: '127.0.0.1/32',
    });
    const token = await localClientToken(server, dataDir);
    // What a document system does through the API: an iTwin, an iModel, a manifest connection registering its file id.
    ids.iTwin = (
      await api<{ iTwin: { id: string } }>(server, token, 'POST', '/itwins', { displayName: 'Documents', class: 'Endeavor', subClass: 'Project' })
    ).json.iTwin.id;
    ids.iModel = (await api<{ iModel: { id: string } }>(server, token, 'POST', '/imodels', { iTwinId: ids.iTwin, name: 'Site' })).json.iModel.id;
    ids.connection = (
      await api<{ connection: { id: string } }>(server, token, 'POST', MC, {
        iModelId: ids.iModel,
        displayName: 'Site plans from the DMS',
        authenticationType: 'Service',
        sourceFiles: [{ sourceFileId: 'doc-f5b36238' }],
      })
    ).json.connection.id;
    browser = await launchChromium();
    ({ page, problems, foreign } = await signedInPage(browser, server, token));
  });

  after(async () => {
    await browser?.close();
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    dms?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists the manifest connection beside the storage connections, says it is created by API, and opens it', async () => {
    await page.goto(`${server.url}/app/itwins/${ids.iTwin}/imodels/${ids.iModel}`);
    // The design system's table does not expose its caption as a name: the section's heading names it.
    const table = page.getByRole('region', { name: 'Manifest connections' });
    const link = table.getByRole('link', { name: 'Site plans from the DMS' });
    await link.waitFor();
    await page.getByText('Manifest connections are created by API').waitFor();
    assert.equal(await table.getByText('Never run').count(), 1);
    assert.deepEqual(await unnamedControls(page), []);
    await screenshot(page, '01-listed');
    await link.click();
    await page.getByRole('heading', { level: 1, name: 'Site plans from the DMS' }).waitFor();
    await page.getByRole('region', { name: 'Source files' }).getByText('doc-f5b36238').waitFor();
  });

  it('runs it with a manifest typed in, follows the run live to Completed, and lists it', async () => {
    await page.getByRole('button', { name: 'Run with a manifest…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('File name of doc-f5b36238').fill('site-plan.dgn');
    assert.equal(await dialog.getByLabel('Connector type of doc-f5b36238').inputValue(), 'MSTN', 'guessed from the name');
    await dialog.getByLabel('Download URL of doc-f5b36238').fill(dmsUrl);
    await screenshot(page, '02-manifest');
    await dialog.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(new RegExp(`/manifest-connections/${ids.connection}/runs/[0-9a-f-]{36}$`));
    // Followed on the iModel's stream, no reload: Executing (the emulated connector takes 1.5 s), then Completed.
    await page.locator('[data-run-state="Completed"][data-run-result="Success"]').waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: 'doc-f5b36238' }).waitFor(); // the task, named by the document id
    await screenshot(page, '03-run');
    await page.getByRole('link', { name: 'Site plans from the DMS' }).click();
    const runs = page.getByRole('region', { name: 'Runs' });
    await runs.getByText('Success').waitFor();
    await runs.getByRole('link').first().click();
    await page.waitForURL(/\/manifest-connections\/[^/]+\/runs\/[0-9a-f-]{36}$/);
    await page.locator('[data-run-state="Completed"]').waitFor();
    // The iModel screen's row shows the last run too.
    await page.goto(`${server.url}/app/itwins/${ids.iTwin}/imodels/${ids.iModel}`);
    await page.getByRole('region', { name: 'Manifest connections' }).getByText('Success').waitFor();
    assert.deepEqual(foreign, [], 'every request went to the service');
    assert.deepEqual(problems, []);
  });
});
