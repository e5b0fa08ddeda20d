import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { browserMissing, browserSession, signIn, unnamedControls } from '../helpers/browser.js';
import { ROOT } from '../helpers/server-process.js';

const SAMPLE = path.join(ROOT, 'test/fixtures/ifc-samples/duplex.ifc');
/** Larger than the page's single-PUT limit (8 MiB): it goes up in blocks (Put Block, Put Block List). */
const LARGE = randomBytes(9 * 1024 * 1024 + 12_345);

/**
 * The rest of the web application, beside the end-to-end path of web-app.test.ts, in the same
 * setting (Debian's Chromium, signed in on the built-in issuer's login page) but with an emulated
 * IFC connector, so that it runs where iTwin.js is missing too: files chosen with the file picker,
 * a large one uploaded in blocks, a version with no model explained in the 3D view, a source file
 * added to a connection and removed, the iTwin shared. Screenshots go to
 * test-artifacts/browser/web-app-more/.
 */
describe('browser: the web application, uploads in blocks, source files and sharing', { skip: browserMissing() }, () => {
  const session = browserSession('web-app-more', {
    env: () => ({ CONNECTORS: JSON.stringify({ types: { IFC: { kind: 'emulate', durationMs: 500 } } }) }),
    // The one failed request expected: the model of a version an emulated connector made is 409
    // CheckpointNotAvailable, which the 3D view explains in words (Chromium logs it anyway).
    ignoreConsole: (message) => / 409 /.test(message.text()) && /\/twinsync\/imodels\/[^/]+\/changesets\/\d+\/categories$/.test(message.location().url),
  });
  const { step, screenshot } = session;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-browser-files-'));
  after(() => fs.rmSync(folder, { recursive: true, force: true }));
  const ids: { iTwin?: string; iModel?: string; connection?: string } = {};

  step('signs in, and makes an iTwin and an iModel', async () => {
    const { page, server } = session;
    await signIn(page, server.url);
    await page.getByRole('button', { name: 'New iTwin' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('Storage iTwin');
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: 'Storage iTwin' }).waitFor();
    ids.iTwin = new URL(page.url()).pathname.split('/')[3];
    await page.getByRole('button', { name: 'New iModel' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('Emulated duplex');
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: 'Emulated duplex' }).waitFor();
    ids.iModel = new URL(page.url()).pathname.split('/')[5];
  });

  step('uploads files chosen with the file picker, a large one in blocks, with progress', async () => {
    const { page } = session;
    await page.getByRole('link', { name: 'Storage iTwin' }).click();
    await page.getByRole('tab', { name: 'Files' }).click();
    // Paths, not bytes: Chromium reads the files itself, as from a person's file picker, where bytes
    // would cross the DevTools protocol as base64 (9 MiB took over 15 s on a loaded machine).
    const scan = path.join(folder, 'scan.dat');
    fs.writeFileSync(scan, LARGE);
    await page.getByLabel('Files to upload').setInputFiles([SAMPLE, scan], { timeout: 60_000 });
    await page.locator('[data-upload-state="uploading"], [data-upload-state="done"]', { hasText: 'scan.dat' }).first().waitFor();
    await page.locator('[data-upload-state="done"]', { hasText: 'duplex.ifc' }).waitFor();
    await page.locator('[data-upload-state="done"]', { hasText: 'scan.dat' }).waitFor({ timeout: 60_000 });
    await page.getByRole('cell', { name: 'scan.dat', exact: true }).waitFor();
    await screenshot('01-files-uploaded');

    // What the service stored is what was sent.
    const top = await session.api(`/storage/?iTwinId=${ids.iTwin}`);
    const files = (await session.api(`/storage/folders/${top._links.folder.href.split('/').pop()}/files`)).files as {
      id: string;
      displayName: string;
      size: number;
    }[];
    const large = files.find((f) => f.displayName === 'scan.dat')!;
    assert.equal(files.find((f) => f.displayName === 'duplex.ifc')?.size, fs.statSync(SAMPLE).size);
    assert.equal(large.size, LARGE.length);
    const download = await fetch(`${session.server.url}/storage/files/${large.id}/download`, {
      headers: { authorization: `Bearer ${await page.evaluate(() => JSON.parse(sessionStorage.getItem('twinsync.session')!).accessToken as string)}` },
    });
    assert.equal(download.status, 200);
    const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    assert.equal(sha(Buffer.from(await download.arrayBuffer())), sha(LARGE), 'the blocks were joined in order');
    assert.ok(
      session.requests.some((url) => /comp=blocklist/.test(url)),
      'the large file went up as blocks and a block list',
    );
  });

  step('runs a connection whose emulated connector writes no model, and says so in the 3D view', async () => {
    const { page, server } = session;
    await page.goto(`${server.url}/app/itwins/${ids.iTwin}/imodels/${ids.iModel}`);
    await page.getByRole('button', { name: 'New connection' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Emulated from storage');
    await dialog.getByLabel(/^duplex\.ifc/).check();
    await dialog.getByLabel('Connector type of duplex.ifc').selectOption('IFC');
    await dialog.getByRole('button', { name: 'Create connection' }).click();
    await page.getByRole('heading', { level: 1, name: 'Emulated from storage' }).waitFor();
    ids.connection = new URL(page.url()).pathname.split('/')[7];
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.locator('[data-run-state="Completed"][data-run-result="Success"]').waitFor({ timeout: 30_000 });

    await page.goto(`${server.url}/app/itwins/${ids.iTwin}/imodels/${ids.iModel}/versions`);
    await page.getByRole('link', { name: 'View in 3D' }).first().click();
    await page.getByRole('region', { name: '3D view' }).waitFor();
    // Emulated connectors write no iModel file: 409 CheckpointNotAvailable, or 501 where iTwin.js is missing.
    await page.getByText(/No model for |The 3D view is not available on this server/).waitFor({ timeout: 30_000 });
    await screenshot('02-3d-view-no-model');
  });

  step('adds a source file to the connection and removes it again', async () => {
    const { page, server } = session;
    await page.goto(`${server.url}/app/itwins/${ids.iTwin}/imodels/${ids.iModel}/connections/${ids.connection}`);
    await page.getByRole('button', { name: 'Add source file' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('File', { exact: true }).selectOption({ label: 'scan.dat' });
    await dialog.getByLabel('Connector type').selectOption('DWG');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('cell', { name: 'scan.dat', exact: true }).waitFor();
    const sources = () => session.api(`/synchronization/imodels/storageconnections/${ids.connection}/sourcefiles`).then((b) => b.sourceFiles.length);
    assert.equal(await sources(), 2);
    await screenshot('03-source-file-added');
    await page.getByRole('button', { name: 'Remove scan.dat' }).click();
    await page.getByRole('cell', { name: 'scan.dat', exact: true }).waitFor({ state: 'detached' });
    assert.equal(await sources(), 1);
    // The run it made is listed, with its outcome.
    await page.getByText('Success').first().waitFor();
  });

  step('shares the iTwin with a colleague, with a role made on the way', async () => {
    const { page, server } = session;
    await page.goto(`${server.url}/app/itwins/${ids.iTwin}/members`);
    await page.getByRole('button', { name: 'Share…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel("Colleague's e-mail address").fill('colleague@example.com');
    await dialog.getByLabel('Access').selectOption('preset:Contributor');
    assert.deepEqual(await unnamedControls(page), []);
    await screenshot('04-share');
    await dialog.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByText('colleague@example.com is invited').waitFor();
    await page.getByRole('cell', { name: 'colleague@example.com', exact: true }).waitFor();
    await screenshot('05-members');
    const invitations = (await session.api(`/accesscontrol/itwins/${ids.iTwin}/members/invitations`)).invitations;
    assert.deepEqual(
      invitations.map((i: { email: string; roles: { displayName: string }[] }) => [i.email, i.roles.map((r) => r.displayName)]),
      [['colleague@example.com', ['Contributor']]],
    );
    const roles = (await session.api(`/accesscontrol/itwins/${ids.iTwin}/roles`)).roles;
    assert.ok(roles[0].permissions.includes('imodels_write'));
  });

  it('made every request to the service and logged no error', () => {
    const elsewhere = session.requests.filter((url) => !url.startsWith(`${session.server.url}/`) && !url.startsWith('data:') && !url.startsWith('blob:'));
    assert.deepEqual(elsewhere, [], 'nothing from the network but the service (no CDN, no fonts)');
    assert.deepEqual(session.problems, []);
  });
});
