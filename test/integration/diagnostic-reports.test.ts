// test:own-process — it awaits at top level (an S3 server), which lets the tests of files loaded before it in a shared process start before the files after it are loaded (scripts/test.mjs).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadDeploymentSecrets } from '../../src/auth/deployment-secrets.js';
import { builtinIfcUnavailable } from '../../src/connectors/builtin-ifc.js';
import { UploadSigner } from '../../src/domain/storage/upload-signing.js';
import type { Worker } from '../../src/worker/worker.js';
import { call } from '../helpers/api.js';
import { PUBLIC_URL, type Harness } from '../helpers/harness.js';
import { TWO_WALLS_IFC } from '../helpers/ifc-fixture.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { relative } from '../helpers/platform.js';
import { startS3Server } from '../helpers/s3-server.js';
import { newContentVersion, pollUntilCompleted, runEnv, runIdOf, runnableConnection, startRun, startWorker } from '../helpers/runs.js';

const REPORTS = '/synchronization/reports';

interface ListedReport {
  id: string;
  imodelId: string;
  runId: string;
  taskId: string;
  sasUri: string;
  createdTimeStamp: string;
}

interface Task {
  id: string;
  storageFileId: string;
  result: string;
  endDateTime: string;
  error?: Record<string, unknown>;
  details?: Record<string, unknown>;
}

async function completedRun(h: Harness, connectionId: string) {
  const started = await startRun(h, connectionId);
  assert.equal(started.statusCode, 202, started.body);
  const { run } = await pollUntilCompleted(h, connectionId, runIdOf(started.headers.location as string), 60_000);
  return { run, tasks: run.jobs.flatMap((j: { tasks: Task[] }) => j.tasks) as Task[] };
}

async function listReports(h: Harness, query: string, subject?: string): Promise<ListedReport[]> {
  const res = await call(h, 'GET', `${REPORTS}?${query}`, { subject });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().reports;
}

/** The report's content, through its sasUri with no Authorization. */
async function download(h: Harness, sasUri: string) {
  assert.ok(sasUri.startsWith(`${PUBLIC_URL}/synchronization/reports/files/`), sasUri);
  const res = await h.app.inject({ method: 'GET', url: relative(sasUri) });
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  return res.json();
}

/** Every audit record of a report, flattened. */
function issues(report: { filerecords: { auditrecords: { auditinfo: Record<string, string>; elementinfo?: Record<string, unknown> }[] }[] }) {
  return report.filerecords.flatMap((f) => f.auditrecords);
}

// A connector program for DWG: leaves a diagnostic report in its output folder (its working directory),
// a malformed one for files named *garbage*; the report also tries to claim another iModel.
let dir: string;
function env() {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-reports-'));
  const program = path.join(dir, 'convert.sh');
  const good = JSON.stringify({
    context: { imodelid: 'forged' },
    filerecords: [
      {
        auditrecords: [
          { auditinfo: { level: 'Warning', category: 'Layers', type: 'LayerSkipped', message: 'Layer Hidden was skipped.' }, elementinfo: { sourceid: '42' } },
        ],
      },
    ],
    elementRecords: [{ elementids: '42', reason: 'On a hidden layer.' }],
  });
  fs.writeFileSync(
    program,
    `#!/bin/sh\ncase "$TWINSYNC_FILE_NAME" in\n  *garbage*) printf '{"filerecords":[{"auditrecords":[{"auditinfo":{"level":"Loud"}}]}]}' > synchronization-report.json ;;\n  *) printf '%s' '${good}' > synchronization-report.json ;;\nesac\nexit 0\n`,
    { mode: 0o755 },
  );
  return runEnv({
    default: { kind: 'emulate', durationMs: 0, outcomes: [{ fileName: '*fails*', result: 'Error', retryable: false }] },
    types: { DWG: { kind: 'command', command: program, args: [] } },
  });
}

onEveryStore('diagnostic reports', { env }, ({ h }) => {
  let worker: Worker;
  before(() => {
    worker = startWorker(h);
  });
  after(async () => {
    await worker?.stop(1000);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an emulated run: one report per task, that says it is emulated, downloadable from its sasUri', async () => {
    const { iModelId, fileIds, connectionId } = await runnableConnection(h, ['a.ifc', 'b.ifc']);
    const { run, tasks } = await completedRun(h, connectionId);
    assert.equal(run.result, 'Success');

    const reports = await listReports(h, `imodelId=${iModelId}&runId=${run.id}`);
    assert.deepEqual(
      reports.map((r) => r.taskId),
      tasks.map((t) => t.id),
      'one per task, in execution order',
    );
    for (const [i, report] of reports.entries()) {
      assert.match(report.id, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(report.imodelId, iModelId);
      assert.equal(report.runId, run.id);
      assert.equal(report.createdTimeStamp, tasks[i]!.endDateTime);
      const content = await download(h, report.sasUri);
      assert.equal(content.context.imodelid, iModelId);
      assert.equal(content.context.runId, run.id);
      assert.equal(content.context.taskId, tasks[i]!.id);
      assert.equal(content.context.connector, 'emulate');
      assert.equal(content.sourceFilesInfo.fileId, tasks[i]!.storageFileId);
      assert.equal(content.filerecords[0].file.identifier, tasks[i]!.storageFileId);
      assert.deepEqual(content.synchronizationReport, tasks[i]!.details!.synchronizationReport, 'the counts of the task');
      const [info] = issues(content);
      assert.equal(info!.auditinfo.level, 'Info');
      assert.match(info!.auditinfo.message, /This report is emulated/);
    }
    assert.deepEqual(new Set(tasks.map((t) => t.storageFileId)), new Set(fileIds));

    // Query names in any case; a taskId narrows to that task's report; a task of no report lists nothing.
    const one = await listReports(h, `IMODELID=${iModelId.toUpperCase()}&RunId=${run.id}&taskid=${tasks[1]!.id}`);
    assert.deepEqual(
      one.map((r) => r.taskId),
      [tasks[1]!.id],
    );
    assert.deepEqual(await listReports(h, `imodelId=${iModelId}&runId=${run.id}&taskId=${crypto.randomUUID()}`), []);
  });

  it('a run of another iModel, or an unknown run, lists nothing', async () => {
    const first = await runnableConnection(h, ['c.ifc']);
    const other = await runnableConnection(h, ['d.ifc']);
    const { run } = await completedRun(h, first.connectionId);
    assert.deepEqual(await listReports(h, `imodelId=${other.iModelId}&runId=${run.id}`), []);
    assert.deepEqual(await listReports(h, `imodelId=${first.iModelId}&runId=${crypto.randomUUID()}`), []);
  });

  it('a failed task: a report of its error, and a kbArticleLink to a page the service serves', async () => {
    const { iModelId, connectionId } = await runnableConnection(h, ['fails.dgn'], { connectorType: 'MSTN' });
    const { run, tasks } = await completedRun(h, connectionId);
    assert.equal(run.result, 'Error');
    const error = tasks[0]!.error!;
    assert.equal(error.descriptionKey, 'EmulatedFailure');
    assert.equal(error.kbArticleLink, `${PUBLIC_URL}/synchronization/errors/EmulatedFailure`);

    const [report] = await listReports(h, `iModelId=${iModelId}&runId=${run.id}`);
    const content = await download(h, report!.sasUri);
    assert.equal(content.context.result, 'Error');
    const [issue] = issues(content);
    assert.equal(issue!.auditinfo.level, 'Error');
    assert.equal(issue!.auditinfo.issueid, 'EmulatedFailure');
    assert.equal(issue!.auditinfo.message, error.message);

    const page = await h.app.inject({ method: 'GET', url: relative(error.kbArticleLink as string) });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.body, /<h1 id="EmulatedFailure">An emulated failure<\/h1>/);
    const unknown = await h.app.inject({ method: 'GET', url: '/synchronization/errors/NoSuchKey' });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'ErrorArticleNotFound');
  });

  it('a command connector’s report is kept, with the context twinsync knows; a malformed one is recorded as such, and the task still succeeds', async () => {
    const { iModelId, connectionId } = await runnableConnection(h, ['plan.dwg', 'garbage.dwg'], { connectorType: 'DWG' });
    const { run, tasks } = await completedRun(h, connectionId);
    assert.equal(run.result, 'Success');
    const reports = await listReports(h, `iModelId=${iModelId}&runId=${run.id}`);
    assert.equal(reports.length, 2);
    const [plan, garbage] = await Promise.all(reports.map((r) => download(h, r.sasUri)));

    assert.equal(plan.context.imodelid, iModelId, 'a program cannot make its report claim another iModel');
    assert.equal(plan.context.connector, 'command');
    assert.deepEqual(
      issues(plan).map((i) => [i.auditinfo.level, i.auditinfo.category, i.auditinfo.message, i.elementinfo?.sourceid]),
      [['Warning', 'Layers', 'Layer Hidden was skipped.', '42']],
    );
    assert.equal(plan.filerecords[0].file.path, 'plan.dwg', 'a record without a file is the task’s');
    assert.deepEqual(plan.elementRecords, [{ elementids: '42', reason: 'On a hidden layer.' }]);

    const garbageTask = tasks.find((t) => t.id === reports[1]!.taskId)!;
    assert.equal(garbageTask.result, 'Success');
    assert.match(String(garbageTask.details!.diagnosticReportProblem), /auditinfo\.level must be one of/);
    const [malformed] = issues(garbage);
    assert.equal(malformed!.auditinfo.type, 'MalformedReport');
    assert.match(malformed!.auditinfo.message, /was not kept: synchronization-report\.json: filerecords\[0\]\.auditrecords\[0\]\.auditinfo\.level/);
  });

  describe('the sasUri', () => {
    let report: ListedReport;
    before(async () => {
      const { iModelId, connectionId } = await runnableConnection(h, ['signed.ifc']);
      const { run } = await completedRun(h, connectionId);
      [report] = (await listReports(h, `iModelId=${iModelId}&runId=${run.id}`)) as [ListedReport];
    });

    it('a tampered URL is refused (403 AuthenticationFailed), as is one for another report', async () => {
      const tampered = report.sasUri.replace(/signature=./, (s) => `signature=${s.endsWith('A') ? 'B' : 'A'}`);
      const refused = await h.app.inject({ method: 'GET', url: relative(tampered) });
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().error.code, 'AuthenticationFailed');
      assert.match(refused.json().error.message, /signature does not match/);
      const other = report.sasUri.replace(`/${report.id}?`, `/${'x'.repeat(43)}?`);
      assert.equal((await h.app.inject({ method: 'GET', url: relative(other) })).statusCode, 403);
      const unsigned = report.sasUri.split('?')[0]!;
      assert.match((await h.app.inject({ method: 'GET', url: relative(unsigned) })).json().error.message, /expires and signature parameters are required/);
      const malformed = await h.app.inject({ method: 'GET', url: `${REPORTS}/files/not-a-guid/..%2F..%2Fsecret?expires=1&signature=x` });
      assert.equal(malformed.statusCode, 403);
    });

    it('an expired URL is refused, saying so', async () => {
      const signer = UploadSigner.withSecret((await loadDeploymentSecrets(h.store.deployment, h.config.dataDir)).uploadUrls, 60);
      const expires = Math.floor(Date.now() / 1000) - 1;
      const url = `${REPORTS}/files/${report.imodelId}/${report.id}?expires=${expires}&signature=${signer.signGrant('report', [report.imodelId, report.id], expires)}`;
      const late = await h.app.inject({ method: 'GET', url });
      assert.equal(late.statusCode, 403);
      assert.match(late.json().error.message, /expired; list the reports again/);
    });

    it('a report whose iModel was deleted is 404 ReportNotFound', async () => {
      assert.equal((await call(h, 'DELETE', `/imodels/${report.imodelId}`)).statusCode, 204);
      const gone = await h.app.inject({ method: 'GET', url: relative(report.sasUri) });
      assert.equal(gone.statusCode, 404);
      assert.equal(gone.json().error.code, 'ReportNotFound');
    });
  });

  describe('who may list reports', () => {
    let query: string;
    before(async () => {
      const { iModelId, connectionId } = await runnableConnection(h, ['private.ifc']);
      const { run } = await completedRun(h, connectionId);
      query = `iModelId=${iModelId}&runId=${run.id}`;
    });

    it('no token is 401; a token without a read scope of the Synchronization API is 401', async () => {
      const none = await h.app.inject({ method: 'GET', url: `${REPORTS}?${query}` });
      assert.equal(none.statusCode, 401);
      assert.equal(none.json().error.code, 'HeaderNotFound');
      const wrong = await call(h, 'GET', `${REPORTS}?${query}`, { scopes: ['imodels:read'] });
      assert.equal(wrong.statusCode, 401);
      assert.equal(wrong.json().error.code, 'RequiredScopeMissing');
      assert.equal((await call(h, 'GET', `${REPORTS}?${query}`, { scopes: ['synchronization:read'] })).statusCode, 200);
    });

    it('someone not a member of the iTwin is 403; an unknown iModel is 404', async () => {
      const other = await call(h, 'GET', `${REPORTS}?${query}`, { subject: 'mallory' });
      assert.equal(other.statusCode, 403);
      assert.equal(other.json().error.code, 'InsufficientPermissions');
      const unknown = await call(h, 'GET', `${REPORTS}?iModelId=${crypto.randomUUID()}&runId=${crypto.randomUUID()}`);
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().error.code, 'iModelNotFound');
    });
  });

  it('bad or missing parameters: 422 InvalidBadgersRequest with one detail each', async () => {
    const cases: [string, [string, string][]][] = [
      [
        '',
        [
          ['MissingRequiredProperty', 'iModelId'],
          ['MissingRequiredProperty', 'runId'],
        ],
      ],
      [`iModelId=${crypto.randomUUID()}`, [['MissingRequiredProperty', 'runId']]],
      [
        'iModelId=nope&runId=1&taskId=x',
        [
          ['InvalidValue', 'iModelId'],
          ['InvalidValue', 'runId'],
          ['InvalidValue', 'taskId'],
        ],
      ],
      [`iModelId=${crypto.randomUUID()}&runId=${crypto.randomUUID()}&runId=${crypto.randomUUID()}`, [['InvalidValue', 'runId']]],
    ];
    for (const [query, expected] of cases) {
      const res = await call(h, 'GET', `${REPORTS}?${query}`);
      assert.equal(res.statusCode, 422, query);
      const { error } = res.json();
      assert.equal(error.code, 'InvalidBadgersRequest');
      assert.equal(error.message, 'Cannot perform operation.');
      assert.deepEqual(
        error.details.map((d: { code: string; target: string }) => [d.code, d.target]),
        expected,
        query,
      );
    }
    const [missing] = (await call(h, 'GET', REPORTS)).json().error.details;
    assert.equal(missing.message, 'iModelId should be provided.');
  });
});

const ifcUnavailable = builtinIfcUnavailable();
if (ifcUnavailable) describe('diagnostic reports of the builtin IFC connector', { skip: ifcUnavailable }, () => {});

/** TWO_WALLS_IFC with a wall whose body is a flat extrusion (no triangles) and a reference to an entity the file lacks. */
const FLAT_WALL_IFC = TWO_WALLS_IFC.replace(
  /^(#80=.*)$/m,
  `$1
#84=IFCRECTANGLEPROFILEDEF(.AREA.,$,#17,0.,0.);
#85=IFCEXTRUDEDAREASOLID(#84,#13,#11,0.);
#86=IFCSHAPEREPRESENTATION(#20,'Body','SweptSolid',(#85));
#87=IFCPRODUCTDEFINITIONSHAPE($,$,(#86));
#88=IFCWALL('0fA8bc$Lz1QwRT5uVxYz9K',$,'Flat wall',$,$,#31,#87,$,$);`,
).replace('(#50,#70,#80),#95', '(#50,#70,#80,#88,#991),#95');

if (!ifcUnavailable)
  onEveryStore(
    'diagnostic reports of the builtin IFC connector',
    { env: runEnv({ default: { kind: 'emulate', durationMs: 0 }, types: { IFC: { kind: 'builtin' } } }) },
    ({ h }) => {
      let worker: Worker;
      before(() => {
        worker = startWorker(h);
      });
      after(() => worker?.stop(1000));

      it('names what could not be converted, by STEP id and GlobalId, and why', async () => {
        const { iModelId, fileIds, connectionId } = await runnableConnection(h, ['flat.ifc']);
        await newContentVersion(h, fileIds[0]!, FLAT_WALL_IFC);
        const { run, tasks } = await completedRun(h, connectionId);
        assert.equal(run.result, 'Success');
        const [report] = await listReports(h, `iModelId=${iModelId}&runId=${run.id}`);
        const content = await download(h, report!.sasUri);
        assert.equal(content.context.connector, 'builtin');
        assert.deepEqual(content.synchronizationReport, tasks[0]!.details!.synchronizationReport);
        const all = issues(content);
        assert.equal(all[0]!.auditinfo.level, 'Info');
        assert.equal(all[0]!.auditinfo.message, (tasks[0]!.details!.synchronizationReport as { message: string }).message);
        const byType = new Map(all.map((i) => [i.auditinfo.type, i]));
        const flat = byType.get('ProductWithoutTriangles')!;
        assert.equal(flat.auditinfo.level, 'Warning');
        assert.equal(flat.auditinfo.category, 'Geometry');
        assert.deepEqual(flat.elementinfo, { sourceid: '0fA8bc$Lz1QwRT5uVxYz9K', entities: [{ stepId: '#88', globalId: '0fA8bc$Lz1QwRT5uVxYz9K' }] });
        const dangling = byType.get('DanglingReference')!;
        assert.equal(dangling.auditinfo.category, 'File structure');
        assert.match(dangling.auditinfo.message, /#991 is referred to by #96/);
        assert.deepEqual(content.elementRecords, [
          {
            elementids: '#88',
            reason: 'Its representation has no triangles (nothing to show): the product was left out of the iModel.',
            globalId: '0fA8bc$Lz1QwRT5uVxYz9K',
          },
        ]);
      });
    },
  );

// Reports in an object store: with BLOB_DOWNLOADS=redirect the sasUri answers 302 to the bucket's own presigned URL.
const s3 = await startS3Server();
after(() => s3.close());

function objectStoreEnv(): Record<string, string> {
  const settings = s3.settings(`reports-${randomBytes(4).toString('hex')}`);
  return {
    ...runEnv(),
    BLOB_STORE_URL: `s3://${settings.bucket}/${settings.prefix}`,
    S3_ENDPOINT: settings.endpoint!,
    S3_ACCESS_KEY_ID: settings.accessKeyId!,
    S3_SECRET_ACCESS_KEY: settings.secretAccessKey!,
    BLOB_DOWNLOADS: 'redirect',
  };
}

onEveryStore('diagnostic reports in an object store (BLOB_DOWNLOADS=redirect)', { env: objectStoreEnv }, ({ h }) => {
  let worker: Worker;
  before(() => {
    worker = startWorker(h);
  });
  after(() => worker?.stop(1000));

  it('the sasUri answers 302 to a presigned URL of the bucket that serves the report', async () => {
    const { iModelId, connectionId } = await runnableConnection(h, ['bucket.ifc']);
    const { run, tasks } = await completedRun(h, connectionId);
    const [report] = await listReports(h, `iModelId=${iModelId}&runId=${run.id}`);
    const answer = await h.app.inject({ method: 'GET', url: relative(report!.sasUri) });
    assert.equal(answer.statusCode, 302, answer.body);
    const location = answer.headers.location as string;
    assert.ok(location.startsWith(s3.endpoint), location);
    const fetched = await fetch(location);
    assert.equal(fetched.status, 200);
    const content = (await fetched.json()) as { context: { taskId: string } };
    assert.equal(content.context.taskId, tasks[0]!.id);
  });
});
