import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALICE, PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { countRows, createBody, postCreate } from '../helpers/requests.js';

const CONNECTOR_MESSAGE =
  "connectorType must be one of: 'AUTOPLANT', 'CIVIL', 'CIVIL3D', 'DACQJSON', 'DWG', 'GEOSPATIAL', 'IFC', 'INTELLIPID', " +
  "'MSTN', 'NWD', 'OBD', 'OPENTOWER', 'PROSTRUCTURES', 'PSEXCEL', 'REVIT', 'SPPID', 'SPXREVIEW'.";
const MISSING = 'A property required to create or update a connection is missing.';

onEveryStore('POST /synchronization/imodels/storageconnections', ({ h }) => {
  async function fixture() {
    const itwin = await h.itwin();
    const iModelId = await h.imodel(itwin);
    return { itwin, iModelId, fileA: await h.file(itwin, 'a.ifc'), fileB: await h.file(itwin, 'b.dgn') };
  }

  describe('201 Created', () => {
    it('answers the documented shape with absolute links and a Location header', async () => {
      const { itwin, iModelId, fileA } = await fixture();
      const res = await postCreate(h, {
        displayName: '30',
        iModelId,
        authenticationType: 'User',
        sourceFiles: [{ storageFileId: fileA, connectorType: 'MSTN' }],
      });
      assert.equal(res.statusCode, 201);
      assert.match(res.headers['content-type'] as string, /^application\/json/);
      const { connection } = res.json();
      assert.match(connection.id, /^[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(connection, {
        id: connection.id,
        displayName: '30',
        iModelId,
        iTwinId: itwin.id,
        authenticationType: 'User',
        _links: {
          iModel: { href: `${PUBLIC_URL}/imodels/${iModelId}` },
          iTwin: { href: `${PUBLIC_URL}/itwins/${itwin.id}` },
        },
      });
      assert.equal(res.headers.location, `${PUBLIC_URL}/synchronization/imodels/storageconnections/${connection.id}`);
    });

    it('defaults authenticationType to User and displayName to empty, and omits lastRun', async () => {
      const { iModelId, fileA } = await fixture();
      const res = await postCreate(h, createBody(iModelId, [fileA]));
      assert.equal(res.statusCode, 201);
      const { connection } = res.json();
      assert.equal(connection.authenticationType, 'User');
      assert.equal(connection.displayName, '');
      assert.equal('lastRun' in connection._links, false);
    });

    it('matches authenticationType and connectorType case-insensitively and stores them canonical', async () => {
      const { iModelId, fileA, fileB } = await fixture();
      const res = await postCreate(h, {
        iModelId: iModelId.toUpperCase(),
        authenticationType: 'service',
        sourceFiles: [
          { storageFileId: fileA, connectorType: 'ifc' },
          { storageFileId: fileB, connectorType: 'Mstn' },
        ],
      });
      assert.equal(res.statusCode, 201);
      const { connection } = res.json();
      assert.equal(connection.authenticationType, 'Service');
      assert.equal(connection.iModelId, iModelId);
      const rows = await h.store.db
        .selectFrom('source_files')
        .select(['storage_file_id', 'connector_type'])
        .where('connection_id', '=', connection.id)
        .execute();
      assert.deepEqual(
        new Map(rows.map((r) => [r.storage_file_id, r.connector_type])),
        new Map([
          [fileA, 'IFC'],
          [fileB, 'MSTN'],
        ]),
      );
    });

    it('gives every source file a UUID v4 id', async () => {
      const { iModelId, fileA } = await fixture();
      const res = await postCreate(h, createBody(iModelId, [fileA]));
      const rows = await h.store.db.selectFrom('source_files').select('id').where('connection_id', '=', res.json().connection.id).execute();
      assert.equal(rows.length, 1);
      assert.match(rows[0]!.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('accepts property names in any case, as the cloud model binding does', async () => {
      const { iModelId, fileA } = await fixture();
      const res = await postCreate(h, { imodelId: iModelId, SourceFiles: [{ StorageFileId: fileA, connectortype: 'IFC' }] });
      assert.equal(res.statusCode, 201);
    });

    it('ignores unknown properties', async () => {
      const { iModelId, fileA } = await fixture();
      const res = await postCreate(h, { ...createBody(iModelId, [fileA]), colour: 'blue', nested: { a: [1, 2] } });
      assert.equal(res.statusCode, 201);
    });

    it('lets the same storage file be mapped in another iModel', async () => {
      const { itwin, iModelId, fileA } = await fixture();
      const otherIModel = await h.imodel(itwin);
      assert.equal((await postCreate(h, createBody(iModelId, [fileA]))).statusCode, 201);
      assert.equal((await postCreate(h, createBody(otherIModel, [fileA]))).statusCode, 201);
    });
  });

  describe('409 Conflict', () => {
    it('refuses a storage file already mapped in the iModel and leaves nothing behind', async () => {
      const { iModelId, fileA, fileB } = await fixture();
      assert.equal((await postCreate(h, createBody(iModelId, [fileA]))).statusCode, 201);
      const before = await countRows(h);
      const res = await postCreate(h, createBody(iModelId, [fileB, fileA]));
      assert.equal(res.statusCode, 409);
      assert.deepEqual(res.json(), {
        error: { code: 'FileMappingToTheIModelAlreadyExists', message: 'One or more SourceFiles are already mapped to the iModel.' },
      });
      assert.deepEqual(await countRows(h), before);
      // fileB was not mapped by the refused request
      assert.equal((await postCreate(h, createBody(iModelId, [fileB]))).statusCode, 201);
    });

    it('gives exactly one 201 to 50 simultaneous creates naming the same storage file', async () => {
      const { iModelId, fileA } = await fixture();
      const before = await countRows(h);
      const token = await h.token();
      const responses = await Promise.all(Array.from({ length: 50 }, () => postCreate(h, createBody(iModelId, [fileA]), { token })));
      const statuses = responses.map((r) => r.statusCode);
      assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses: ${statuses.join(',')}`);
      assert.equal(statuses.filter((s) => s === 409).length, 49);
      const after = await countRows(h);
      assert.equal(after.connections - before.connections, 1);
      assert.equal(after.sourceFiles - before.sourceFiles, 1);
    });

    it('commits concurrent creates of different files independently', async () => {
      const { itwin, iModelId } = await fixture();
      const files = await Promise.all(Array.from({ length: 20 }, (_, i) => h.file(itwin, `f${i}.ifc`)));
      const token = await h.token();
      const responses = await Promise.all([
        ...files.map((f) => postCreate(h, createBody(iModelId, [f]), { token })),
        postCreate(h, createBody(iModelId, [files[0]!]), { token }), // conflicts with one of the above
      ]);
      assert.equal(responses.filter((r) => r.statusCode === 201).length, 20);
      assert.equal(responses.filter((r) => r.statusCode === 409).length, 1);
    });
  });

  describe('422 InvalidStorageConnectionRequest', () => {
    async function expect422(body: unknown, details: unknown[], code = 'InvalidStorageConnectionRequest') {
      const before = await countRows(h);
      const res = await postCreate(h, body);
      assert.equal(res.statusCode, 422, res.body);
      const json = res.json();
      assert.equal(json.error.code, code);
      assert.equal(json.error.message, 'Cannot perform operation.');
      assert.deepEqual([...json.error.details].sort(byJson), [...details].sort(byJson));
      assert.deepEqual(await countRows(h), before, 'a 422 leaves nothing behind');
    }
    const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

    it('malformed JSON → InvalidRequestBody', async () => {
      await expect422('{"iModelId": ', [{ code: 'InvalidRequestBody', message: 'Error parsing JSON, malformed JSON.' }]);
    });

    it('missing sourceFiles', async () => {
      const { iModelId } = await fixture();
      await expect422({ iModelId }, [{ code: 'MissingRequiredProperty', message: MISSING, target: 'sourceFiles' }]);
    });

    it('empty sourceFiles', async () => {
      const { iModelId } = await fixture();
      await expect422({ iModelId, sourceFiles: [] }, [
        { code: 'MissingRequiredProperty', message: 'At least one input file must be included to create a ConnectionDefinition.', target: 'sourceFiles' },
      ]);
    });

    it('missing connectorType and storageFileId', async () => {
      const { iModelId, fileA } = await fixture();
      await expect422({ iModelId, sourceFiles: [{ storageFileId: fileA }, { connectorType: 'IFC' }] }, [
        { code: 'MissingRequiredProperty', message: MISSING, target: 'connectorType' },
        { code: 'MissingRequiredProperty', message: MISSING, target: 'storageFileId' },
      ]);
    });

    it('missing imodelId', async () => {
      const { fileA } = await fixture();
      await expect422({ sourceFiles: [{ storageFileId: fileA, connectorType: 'IFC' }] }, [
        { code: 'MissingRequiredProperty', message: 'imodelId was not provided.', target: 'imodelId' },
      ]);
    });

    it('a connectorType outside the 17 values', async () => {
      const { iModelId, fileA } = await fixture();
      await expect422({ iModelId, sourceFiles: [{ storageFileId: fileA, connectorType: 'AVEVAPID' }] }, [
        { code: 'InvalidValue', message: CONNECTOR_MESSAGE, target: 'connectorType' },
      ]);
    });

    it('a malformed imodelId, and one that does not exist', async () => {
      const { fileA } = await fixture();
      const invalid = { code: 'InvalidValue', message: 'Provided imodelId value is not valid.', target: 'imodelId' };
      await expect422(createBody('not-a-guid', [fileA]), [invalid]);
      await expect422(createBody('7dbd531d-6967-47b2-8945-a722a437ad7a', [fileA]), [invalid]);
    });

    it('a malformed storageFileId, one that does not exist, and one never completed', async () => {
      const { itwin, iModelId } = await fixture();
      const incomplete = await h.file(itwin, 'pending.ifc');
      await h.store.db.updateTable('storage_files').set({ content_version: 0 }).where('id', '=', incomplete).execute();
      const invalid = { code: 'InvalidValue', message: 'Provided storageFileId value is not valid.', target: 'storageFileId' };
      await expect422(createBody(iModelId, ['short']), [invalid]);
      await expect422(createBody(iModelId, ['t5bDFuN4qUa9ojVw1E5FGtldp8BgSbNCiJ2XMdiT-cA']), [invalid]);
      await expect422(createBody(iModelId, [incomplete]), [invalid]);
    });

    it('an iModel or storage file of an iTwin the caller is not a member of is not valid', async () => {
      const { iModelId, fileA } = await fixture();
      const bobsItwin = await h.itwin('bob');
      const bobsIModel = await h.imodel(bobsItwin, 'bob');
      const bobsFile = await h.file(bobsItwin, 'secret.ifc', 'bob');
      await expect422(createBody(bobsIModel, [fileA]), [{ code: 'InvalidValue', message: 'Provided imodelId value is not valid.', target: 'imodelId' }]);
      await expect422(createBody(iModelId, [bobsFile]), [
        { code: 'InvalidValue', message: 'Provided storageFileId value is not valid.', target: 'storageFileId' },
      ]);
      // and bob cannot use alice's
      const res = await postCreate(h, createBody(iModelId, [fileA]), { token: await h.token('bob') });
      assert.equal(res.statusCode, 422);
    });

    it('a storage file of another iTwin than the iModel is not valid', async () => {
      const { iModelId } = await fixture();
      const otherItwin = await h.itwin(ALICE);
      const elsewhere = await h.file(otherItwin, 'elsewhere.ifc');
      await expect422(createBody(iModelId, [elsewhere]), [
        { code: 'InvalidValue', message: 'Provided storageFileId value is not valid.', target: 'storageFileId' },
      ]);
    });

    it('reports every problem at once, one detail each', async () => {
      await expect422({ iModelId: '00000000-0000-4000-8000-000000000000', sourceFiles: [{ connectorType: 'XYZ' }, { storageFileId: 'bad' }] }, [
        { code: 'InvalidValue', message: 'Provided imodelId value is not valid.', target: 'imodelId' },
        { code: 'MissingRequiredProperty', message: MISSING, target: 'storageFileId' },
        { code: 'InvalidValue', message: CONNECTOR_MESSAGE, target: 'connectorType' },
        { code: 'InvalidValue', message: 'Provided storageFileId value is not valid.', target: 'storageFileId' },
        { code: 'MissingRequiredProperty', message: MISSING, target: 'connectorType' },
      ]);
    });

    it('wrong types get a clear detail each', async () => {
      await expect422({ iModelId: 42, sourceFiles: 'x', displayName: 7, authenticationType: 'Robot' }, [
        { code: 'InvalidValue', message: 'Provided imodelId value is not valid.', target: 'imodelId' },
        { code: 'InvalidValue', message: 'sourceFiles must be an array.', target: 'sourceFiles' },
        { code: 'InvalidValue', message: 'displayName must be a string.', target: 'displayName' },
        { code: 'InvalidValue', message: "authenticationType must be one of: 'User', 'Service'.", target: 'authenticationType' },
      ]);
      await expect422({ iModelId: [], sourceFiles: [7, null] }, [
        { code: 'InvalidValue', message: 'Provided imodelId value is not valid.', target: 'imodelId' },
        { code: 'InvalidValue', message: 'Each source file must be an object with storageFileId and connectorType.', target: 'sourceFiles' },
        { code: 'InvalidValue', message: 'Each source file must be an object with storageFileId and connectorType.', target: 'sourceFiles' },
      ]);
    });

    it('a body that is not an object, or nested too deep', async () => {
      await expect422('[1,2]', [{ code: 'InvalidRequestBody', message: 'The request body must be a JSON object.' }]);
      await expect422('"text"', [{ code: 'InvalidRequestBody', message: 'The request body must be a JSON object.' }]);
      const deep = `{"iModelId":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      await expect422(deep, [{ code: 'InvalidRequestBody', message: 'Error parsing JSON, nesting deeper than 32 levels.' }]);
    });

    it('a string holding U+0000 (PostgreSQL cannot store it): InvalidRequestBody, on both stores alike', async () => {
      const { iModelId, fileA } = await fixture();
      const nul = { code: 'InvalidRequestBody', message: 'Error parsing JSON, a string holds the character U+0000.' };
      await expect422(createBody(iModelId, [fileA], { displayName: 'a\u0000b' }), [nul]);
      await expect422(`{"iModelId":"${iModelId}","sourceFiles":[],"x\\u0000":1}`, [nul]);
    });

    it('the same storage file twice in one request', async () => {
      const { iModelId, fileA } = await fixture();
      await expect422(createBody(iModelId, [fileA, fileA]), [
        { code: 'InvalidValue', message: 'Provided storageFileId value is listed more than once.', target: 'storageFileId' },
      ]);
    });

    it('no body at all → MissingRequestBody', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/synchronization/imodels/storageconnections',
        headers: { authorization: `Bearer ${await h.token()}` },
      });
      assert.equal(res.statusCode, 422);
      assert.equal(res.json().error.code, 'MissingRequestBody');
      assert.equal(res.json().error.details.length, 2);
    });
  });
});
