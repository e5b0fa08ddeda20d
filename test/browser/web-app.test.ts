import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { browserMissing, browserSession, signIn, unnamedControls } from '../helpers/browser.js';
import { ifcUnavailable } from '../helpers/ifc-connector-harness.js';
import { ROOT } from '../helpers/server-process.js';

/** The sample IFC file (test/fixtures/ifc-samples/ATTRIBUTION.md says where it comes from). */
const SAMPLE = path.join(ROOT, 'test/fixtures/ifc-samples/duplex.ifc');
const SAMPLE_TEXT = fs.readFileSync(SAMPLE, 'latin1');

type Hook = { elementIds: () => string[]; screenPoint: (id: string) => { x: number; y: number } | undefined };

/**
 * The web application end to end, in Debian's Chromium, in one tab, against `npm start`'s program
 * on an empty data folder with the builtin IFC connector (iTwin.js converts for real): sign in on the
 * built-in issuer's login page, create an iTwin with the keyboard and an iModel, drop the sample IFC
 * file on the Files tab, create a connection, run it and watch the run reach Completed live, open
 * the task and its reports, open the version it made in 3D and click an element on the canvas, and
 * name that version. A screenshot of each screen goes to test-artifacts/browser/web-app/. Every
 * request the page makes must go to the service, and the page must log no error. The rest of the
 * page (uploads in blocks, source files, sharing, a version without a model) is
 * web-app-more.test.ts, which needs no iTwin.js.
 */
describe('browser: the web application, end to end', { skip: browserMissing() ?? ifcUnavailable }, () => {
  const session = browserSession('web-app', {
    env: () => ({ CONNECTORS: JSON.stringify({ types: { IFC: { kind: 'builtin' } } }) }),
  });
  const { step, screenshot } = session;
  const ids: { iTwin?: string; iModel?: string; connection?: string; run?: string; task?: string } = {};

  step('signs in on the built-in issuer’s login page, with a code and its PKCE verifier', async () => {
    const { page, server } = session;
    let shot = 0;
    await signIn(page, server.url, async (name) => {
      if (name === 'signed-out')
        assert.equal(await page.evaluate(() => sessionStorage.getItem('twinsync.session')), null, 'no token in the page before sign-in');
      await screenshot(`0${++shot}-${name}`);
    });
    assert.ok(
      session.requests.some((url) => /\/connect\/authorize\?.*code_challenge_method=S256/.test(url)),
      'the page went to the login page with a PKCE challenge',
    );
    assert.doesNotMatch(page.url(), /code=/);
    await page.getByText('admin@twinsync.localhost').first().waitFor();
    await page.getByText('You are a member of no iTwin yet').waitFor();
    await screenshot('03-signed-in');
  });

  step('creates an iTwin with the keyboard alone, and an iModel', async () => {
    const { page } = session;
    let focused = '';
    for (let i = 0; i < 20 && focused !== 'New iTwin'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    }
    assert.equal(focused, 'New iTwin', 'the New iTwin button is reached with Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByLabel('Name').waitFor();
    await page.keyboard.type('Browser test iTwin');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Browser test iTwin' }).waitFor();
    ids.iTwin = new URL(page.url()).pathname.split('/')[3];
    assert.match(ids.iTwin!, /^[0-9a-f-]{36}$/);
    assert.deepEqual(await unnamedControls(page), []);

    await page.getByRole('button', { name: 'New iModel' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Duplex');
    await dialog.getByLabel('Description').fill('The sample house');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: 'Duplex' }).waitFor();
    ids.iModel = new URL(page.url()).pathname.split('/')[5];
    await page.getByText('No connection yet').waitFor();
    await screenshot('04-imodel');
  });

  step('takes the sample IFC file dropped on the Files tab', async () => {
    const { page } = session;
    await page.getByRole('link', { name: 'Browser test iTwin' }).click();
    await page.getByRole('tab', { name: 'Files' }).click();
    const dropped = await page.evaluateHandle(
      ([base64, name]) => {
        const bytes = Uint8Array.from(atob(base64!), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name!, { type: 'application/octet-stream' }));
        return transfer;
      },
      [fs.readFileSync(SAMPLE).toString('base64'), 'duplex.ifc'],
    );
    const zone = page.getByText('Drag files here');
    await zone.dispatchEvent('dragenter', { dataTransfer: dropped });
    await zone.dispatchEvent('drop', { dataTransfer: dropped });
    await page.locator('[data-upload-state="done"]', { hasText: 'duplex.ifc' }).waitFor();
    await page.getByRole('cell', { name: 'duplex.ifc', exact: true }).waitFor();
    await screenshot('05-file-uploaded');
    const top = await session.api(`/storage/?iTwinId=${ids.iTwin}`);
    const files = (await session.api(`/storage/folders/${top._links.folder.href.split('/').pop()}/files`)).files as { displayName: string; size: number }[];
    assert.deepEqual(
      files.map((f) => [f.displayName, f.size]),
      [['duplex.ifc', fs.statSync(SAMPLE).size]],
    );
  });

  step('creates a connection, choosing the file and its connector type', async () => {
    const { page } = session;
    await page.getByRole('tab', { name: 'iModels' }).click();
    await page.getByRole('link', { name: 'Duplex', exact: true }).click();
    await page.getByRole('button', { name: 'New connection' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Duplex from storage');
    await dialog.getByLabel('Runs as').selectOption('Service');
    await dialog.getByLabel(/^duplex\.ifc/).check();
    await dialog.getByLabel('Connector type of duplex.ifc').selectOption('IFC');
    await screenshot('06-new-connection');
    assert.deepEqual(await unnamedControls(page), []);
    await dialog.getByRole('button', { name: 'Create connection' }).click();
    await page.getByRole('heading', { level: 1, name: 'Duplex from storage' }).waitFor();
    ids.connection = new URL(page.url()).pathname.split('/')[7];
    await page.getByRole('cell', { name: 'duplex.ifc', exact: true }).waitFor();
    await page.getByText('Never run').waitFor();
    await screenshot('07-connection');
  });

  step('runs it, and shows the run going from state to state to Completed without a reload', async () => {
    const { page } = session;
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    ids.run = new URL(page.url()).pathname.split('/')[9];
    // Whatever the screen shows from now on, recorded as it changes; a reload would lose the marker.
    await page.evaluate(() => {
      const w = window as unknown as { seen: string[]; modes: string[]; marker: boolean };
      w.marker = true;
      w.seen = [];
      w.modes = [];
      const look = () => {
        const run = document.querySelector('[data-run-state]');
        const state = run ? `${run.getAttribute('data-run-state')}/${run.getAttribute('data-run-result')}` : '';
        if (state && w.seen.at(-1) !== state) w.seen.push(state);
        const mode = document.querySelector('[data-live]')?.getAttribute('data-live') ?? '';
        if (mode && w.modes.at(-1) !== mode) w.modes.push(mode);
      };
      new MutationObserver(look).observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
      look();
    });
    // iTwin.js starts and converts the house: seconds on a quiet machine, more on a loaded one.
    await page.locator('[data-run-state="Executing"]').waitFor({ timeout: 60_000 });
    await screenshot('08-run-executing');
    await page.locator('[data-run-state="Completed"][data-run-result="Success"]').waitFor({ timeout: 180_000 });
    const { seen, modes, marker } = await page.evaluate(() => {
      const w = window as unknown as { seen: string[]; modes: string[]; marker: boolean };
      return { seen: w.seen, modes: w.modes, marker: w.marker };
    });
    assert.equal(marker, true, 'the page was not reloaded');
    assert.ok(seen.includes('Executing/Undetermined'), `states seen: ${seen.join(', ')}`);
    assert.equal(seen.at(-1), 'Completed/Success');
    assert.ok(modes.includes('live'), `the page followed the run's event stream: ${modes.join(', ')}`);
    await page.getByRole('cell', { name: 'duplex.ifc', exact: true }).waitFor();
    await screenshot('09-run-completed');
    const run = (await session.api(`/synchronization/imodels/storageconnections/${ids.connection}/runs/${ids.run}`)).run;
    assert.equal(run.state, 'Completed');
    assert.equal(run.result, 'Success');
  });

  step('opens the task: times, retries, its synchronization report, its diagnostic report and its changeset', async () => {
    const { page } = session;
    await page.getByRole('link', { name: 'duplex.ifc' }).click();
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    ids.task = new URL(page.url()).pathname.split('/')[11];
    const panel = page.getByRole('region', { name: 'Task: duplex.ifc' });
    await panel.locator('[data-task-state="Completed"][data-task-result="Success"]').waitFor();
    await panel.getByText('Retries').waitFor();
    await panel.getByRole('region', { name: 'Synchronization report' }).waitFor();
    const report = panel.getByRole('link', { name: 'Open the diagnostic report (JSON)' });
    const href = await report.getAttribute('href');
    assert.match(href!, /\/synchronization\/reports\/files\/.+signature=/);
    // The converter's own issue: what it converted (src/connectors/ifc/diagnostics.ts).
    await panel.getByRole('cell', { name: 'Conversion', exact: true }).first().waitFor();
    await panel.getByText(/^Changeset 1:/).waitFor();
    assert.equal(await panel.getByText('Emulated (docs/connectors.md)').count(), 0, 'the builtin connector converted it');
    await screenshot('10-task');
  });

  step('opens the version the task made in 3D, and shows an element clicked on the canvas', async () => {
    const { page } = session;
    await page.getByRole('region', { name: 'Task: duplex.ifc' }).getByRole('link', { name: 'View in 3D' }).click();
    await page.waitForURL(/\/view\?changeset=1$/);
    const canvas = page.locator('canvas[data-loaded="true"]');
    await canvas.waitFor({ timeout: 180_000 }); // the first request exports the checkpoint
    const nodes = Number(await canvas.getAttribute('data-node-count'));
    assert.ok(nodes > 50, `one node per element of the house: ${nodes}`);
    await screenshot('11-model');

    const panel = page.getByRole('region', { name: 'Selected element' });
    // A click on empty sky selects nothing: the panel below shows only what a click hit.
    const box = (await page.locator('canvas.ts-canvas').boundingBox())!;
    await page.mouse.click(box.x + 8, box.y + 8);
    await page.waitForTimeout(500);
    assert.equal(await panel.count(), 0, 'nothing was under the corner of the canvas');

    // A wall of the house, where the viewer says it is drawn (the test hook, docs/web-app.md).
    const walls = (await page.evaluate(async () => {
      const token = JSON.parse(sessionStorage.getItem('twinsync.session')!).accessToken as string;
      const [, , , , , iModel] = location.pathname.split('/');
      const answer = await fetch(`/twinsync/imodels/${iModel}/changesets/1/elements`, { headers: { authorization: `Bearer ${token}` } });
      return ((await answer.json()) as { elements: { id: string; className: string }[] }).elements.filter((e) => /Wall/.test(e.className)).map((e) => e.id);
    })) as string[];
    assert.ok(walls.length > 0, 'the house has walls');
    const point = await page.evaluate((id) => (window as unknown as { twinsyncModelView: Hook }).twinsyncModelView.screenPoint(id), walls[0]!);
    assert.ok(point, 'the viewer knows where the wall is drawn');
    await page.mouse.click(point.x, point.y);
    const globalId = panel.getByTestId('element-globalid');
    await globalId.filter({ hasText: /^[0-9A-Za-z_$]{22}$/ }).waitFor();
    // What the panel says comes from the file: an IFC class, a GlobalId the file has, its property sets.
    assert.match((await panel.getByTestId('element-class').textContent())!, /^Ifc[A-Z]\w+$/);
    const shown = (await globalId.textContent())!;
    assert.ok(SAMPLE_TEXT.includes(`'${shown}'`), `the GlobalId ${shown} is one of duplex.ifc's`);
    assert.ok((await panel.locator('details').count()) > 0, 'property sets are listed');
    assert.ok((await panel.locator('details table tr').count()) > 0, 'with properties');
    assert.deepEqual(await unnamedControls(page), []);
    await screenshot('12-model-selected');
  });

  step('creates a named version of the changeset the task made', async () => {
    const { page } = session;
    await page.goBack();
    const panel = page.getByRole('region', { name: 'Task: duplex.ifc' });
    await panel.getByRole('button', { name: 'Create named version…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Version name').fill('Milestone 1');
    await dialog.getByLabel('Description').fill('First synchronization of the duplex');
    await dialog.getByRole('button', { name: 'Create named version' }).click();
    await panel.locator('[data-named-version="Milestone 1"]').waitFor();
    await screenshot('13-named-version');
    const named = (await session.api(`/imodels/${ids.iModel}/namedversions`, 'application/vnd.bentley.itwin-platform.v2+json')).namedVersions;
    assert.deepEqual(
      named.map((v: { displayName: string; changesetIndex: number }) => [v.displayName, v.changesetIndex]),
      [['Milestone 1', 1]],
    );
    await page.getByRole('link', { name: 'Duplex', exact: true }).click();
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByRole('cell', { name: 'Milestone 1', exact: true }).first().waitFor();
    await screenshot('14-versions');
  });

  it('made every request to the service and logged no error', () => {
    const elsewhere = session.requests.filter((url) => !url.startsWith(`${session.server.url}/`) && !url.startsWith('data:') && !url.startsWith('blob:'));
    assert.deepEqual(elsewhere, [], 'nothing from the network but the service (no CDN, no fonts)');
    assert.deepEqual(session.problems, []);
  });
});
