import { call } from './api.js';
import type { Harness } from './harness.js';

export const MC = '/synchronization/imodels/manifestconnections';

/** A manifest connection of alice (fresh iTwin and iModel) registering `sourceFileIds`; `Service` unless said otherwise. */
export async function manifestConnection(h: Harness, sourceFileIds: string[], options: { authenticationType?: string; displayName?: string } = {}) {
  const itwin = await h.itwin();
  const iModelId = await h.imodel(itwin);
  const res = await call(h, 'POST', MC, {
    body: {
      iModelId,
      displayName: options.displayName ?? 'manifest',
      authenticationType: options.authenticationType ?? 'Service',
      sourceFiles: sourceFileIds.map((sourceFileId) => ({ sourceFileId })),
    },
  });
  if (res.statusCode !== 201) throw new Error(`manifest connection: ${res.statusCode} ${res.body}`);
  return { itwin, iModelId, connectionId: res.json().connection.id as string };
}

export async function startManifestRun(h: Harness, connectionId: string, manifest: unknown) {
  return call(h, 'POST', `${MC}/${connectionId}/runs`, { body: manifest });
}

export async function getManifestRun(h: Harness, connectionId: string, runId: string) {
  const res = await call(h, 'GET', `${MC}/${connectionId}/runs/${runId}`);
  if (res.statusCode !== 200) throw new Error(`GET manifest run: ${res.statusCode} ${res.body}`);
  return res.json().run;
}

export async function pollManifestRun(h: Harness, connectionId: string, runId: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await getManifestRun(h, connectionId, runId);
    if (run.state === 'Completed') return run;
    if (Date.now() > deadline) throw new Error(`manifest run not completed in time: ${JSON.stringify(run)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
