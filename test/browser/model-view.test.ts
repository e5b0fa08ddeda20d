import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { browserMissing, browserSession, signIn, unnamedControls } from '../helpers/browser.js';
import { ifcUnavailable } from '../helpers/ifc-connector-harness.js';
import { ROOT, type ServerProcess } from '../helpers/server-process.js';

/** A small IFC file: two walls and a slab, each with its GlobalId (the first wall's is checked below). */
const SAMPLE = path.join(ROOT, 'test/fixtures/two-walls.ifc');
const WALL_1 = /#\d+=IFCWALL\('([^']{22})',\$,'Wall 1'/.exec(fs.readFileSync(SAMPLE, 'utf8'))![1]!;
const SLAB_1 = /#\d+=IFCSLAB\('([^']{22})',\$,'Slab 1'/.exec(fs.readFileSync(SAMPLE, 'utf8'))![1]!;

type Hook = { elementIds: () => string[]; screenPoint: (id: string) => { x: number; y: number } | undefined };

/**
 * The 3D view in Debian's Chromium: the sample IFC file synchronized by the builtin IFC connector
 * (a real checkpoint, exported by the service), then the model shown with three.js, an element
 * picked by clicking where the viewer's test hook says it is, its class and GlobalId checked, a
 * category hidden, and the colouring by change turned on. Needs iTwin.js (the builtin connector
 * and the export both do): where it is missing the test skips, saying so.
 */
describe('browser: the 3D view', { skip: browserMissing() ?? ifcUnavailable }, () => {
  const session = browserSession('model-view', {
    env: () => ({ CONNECTORS: JSON.stringify({ types: { IFC: { kind: 'builtin' } } }) }),
  });
  const { step, screenshot, problems } = session;
  const ids: { iTwin?: string; iModel?: string; wall?: string; elements?: { id: string; globalId: string }[] } = {};
  let server: ServerProcess;
  let page: Page;
  before(() => {
    server = session.server;
    page = session.page;
  });

  step('synchronizes the sample IFC file with the builtin connector', async () => {
    await signIn(page, server.url);
    await page.getByRole('button', { name: 'New iTwin' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('3D iTwin');
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: '3D iTwin' }).waitFor();
    ids.iTwin = new URL(page.url()).pathname.split('/')[3];
    await page.getByRole('button', { name: 'New iModel' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('Two walls');
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: 'Two walls' }).waitFor();
    ids.iModel = new URL(page.url()).pathname.split('/')[5];

    await page.goto(`${server.url}/app/itwins/${ids.iTwin}/files`);
    await page.getByLabel('Files to upload').setInputFiles({ name: 'two-walls.ifc', mimeType: 'application/octet-stream', buffer: fs.readFileSync(SAMPLE) });
    await page.locator('[data-upload-state="done"]', { hasText: 'two-walls.ifc' }).waitFor();

    await page.goto(`${server.url}/app/itwins/${ids.iTwin}/imodels/${ids.iModel}`);
    await page.getByRole('button', { name: 'New connection' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Two walls from storage');
    await dialog.getByLabel('Runs as').selectOption('Service');
    await dialog.getByLabel(/^two-walls\.ifc/).check();
    await dialog.getByLabel('Connector type of two-walls.ifc').selectOption('IFC');
    await dialog.getByRole('button', { name: 'Create connection' }).click();
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await page.locator('[data-run-state="Completed"][data-run-result="Success"]').waitFor({ timeout: 120_000 });
  });

  step('shows the latest version in 3D: the canvas renders one node per element', async () => {
    await page.goto(`${server.url}/app/itwins/${ids.iTwin}/imodels/${ids.iModel}/view`);
    const canvas = page.locator('canvas[data-loaded="true"]');
    await canvas.waitFor({ timeout: 180_000 }); // the first request exports the checkpoint
    const nodes = Number(await canvas.getAttribute('data-node-count'));
    assert.equal(nodes, 3, 'two walls and a slab');
    // Something was drawn: the canvas is not one flat colour.
    const colours = await page.evaluate(() => {
      const source = document.querySelector('canvas.ts-canvas') as HTMLCanvasElement;
      const copy = document.createElement('canvas');
      copy.width = source.width;
      copy.height = source.height;
      const ctx = copy.getContext('2d')!;
      ctx.drawImage(source, 0, 0);
      const data = ctx.getImageData(0, 0, copy.width, copy.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4 * 97) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return seen.size;
    });
    assert.ok(colours > 3, `the canvas shows the model (${colours} colours sampled)`);
    await page.getByRole('button', { name: 'Fit view' }).waitFor();
    await page.getByRole('combobox', { name: 'Version' }).waitFor();
    assert.deepEqual(await unnamedControls(page), []);
    await screenshot('01-model');
  });

  step('picks a wall by clicking it: the panel shows its class and its IFC GlobalId', async () => {
    const elements = (await page.evaluate(async () => {
      const token = JSON.parse(sessionStorage.getItem('twinsync.session')!).accessToken as string;
      const [, , , , , iModel] = location.pathname.split('/');
      const index = document.querySelector('[data-changeset-index]')!.getAttribute('data-changeset-index');
      const answer = await fetch(`/twinsync/imodels/${iModel}/changesets/${index}/elements`, { headers: { authorization: `Bearer ${token}` } });
      return ((await answer.json()) as { elements: { id: string; globalId: string }[] }).elements;
    })) as { id: string; globalId: string }[];
    ids.elements = elements;
    ids.wall = elements.find((e) => e.globalId === WALL_1)?.id;
    assert.ok(ids.wall, `Wall 1 (${WALL_1}) is an element of the model`);
    const point = await page.evaluate((id) => (window as unknown as { twinsyncModelView: Hook }).twinsyncModelView.screenPoint(id), ids.wall!);
    assert.ok(point, 'the hook knows where the wall is');
    await page.mouse.click(point.x, point.y);
    const panel = page.getByRole('region', { name: 'Selected element' });
    await panel.getByTestId('element-globalid').filter({ hasText: WALL_1 }).waitFor();
    assert.equal(await panel.getByTestId('element-class').textContent(), 'IfcWall');
    await screenshot('02-selected');
  });

  step('hides a category, and colours by change with a legend', async () => {
    const slabId = ids.elements!.find((e) => e.globalId === SLAB_1)!.id;
    const where = await page.evaluate((id) => (window as unknown as { twinsyncModelView: Hook }).twinsyncModelView.screenPoint(id), slabId);
    await page.mouse.click(where!.x, where!.y);
    const panel = page.getByRole('region', { name: 'Selected element' });
    await panel.getByTestId('element-globalid').filter({ hasText: SLAB_1 }).waitFor();
    const slab = page.getByRole('checkbox', { name: /IfcSlab/ });
    await slab.uncheck();
    assert.equal(await slab.isChecked(), false);
    // Hidden, the slab can no longer be picked: a click where it was selects what is behind it, or nothing.
    await page.mouse.click(where!.x, where!.y);
    await page.waitForTimeout(1000);
    assert.equal(await panel.getByTestId('element-globalid').filter({ hasText: SLAB_1 }).count(), 0);
    await page.getByRole('switch', { name: 'Colour by change since the previous version' }).check();
    const legend = page.getByLabel('Change colours');
    await legend.getByText('Inserted (3)').waitFor();
    await legend.getByText('Unchanged').waitFor();
    // Wall 1 (not selected) is drawn in the colour of inserted elements now: green over red and blue.
    const wall = await page.evaluate((id) => (window as unknown as { twinsyncModelView: Hook }).twinsyncModelView.screenPoint(id), ids.wall!);
    await page.waitForTimeout(300); // one frame
    const [r, g, b] = await page.evaluate(({ x, y }) => {
      const source = document.querySelector('canvas.ts-canvas') as HTMLCanvasElement;
      const rect = source.getBoundingClientRect();
      const copy = document.createElement('canvas');
      copy.width = source.width;
      copy.height = source.height;
      const ctx = copy.getContext('2d')!;
      ctx.drawImage(source, 0, 0);
      const px = Math.round(((x - rect.left) / rect.width) * source.width);
      const py = Math.round(((y - rect.top) / rect.height) * source.height);
      return [...ctx.getImageData(px, py, 1, 1).data];
    }, wall!);
    assert.ok(g! > r! + 30 && g! > b! + 30, `Wall 1 is green when coloured by change: rgb(${r}, ${g}, ${b})`);
    await screenshot('03-changes');
    const foreign = session.requests.filter((url) => !url.startsWith(server.url) && !url.startsWith('data:'));
    assert.deepEqual(foreign, [], 'every request went to the service');
    assert.deepEqual(problems, []);
  });
});
