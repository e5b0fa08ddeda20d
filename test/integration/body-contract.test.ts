import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { BodyDeclaration } from '../../src/domain/body-fields.js';
import { randomUUID } from 'node:crypto';
import { IMODEL_BODY, IMODEL_UPDATE_BODY } from '../../src/domain/imodels/imodel-body.js';
import { NAMED_VERSION_BODY, NAMED_VERSION_UPDATE_BODY } from '../../src/domain/versions/named-version-body.js';
import { CONNECTION_CONFIGURATION_BODY, IMODEL_CONFIGURATION_BODY, ITWIN_CONFIGURATION_BODY } from '../../src/domain/configurations/body.js';
import { ITWIN_BODY, ITWIN_UPDATE_BODY } from '../../src/domain/itwins/itwin-body.js';
import { REPOSITORY_BODY } from '../../src/domain/itwins/repositories/repository-body.js';
import { MEMBERS_BODY } from '../../src/domain/members/members-body.js';
import { MEMBER_ROLES_BODY, OWNER_BODY, USER_MEMBERS_BODY } from '../../src/domain/access-control/bodies.js';
import { ROLE_BODY, ROLE_UPDATE_BODY } from '../../src/domain/access-control/role-body.js';
import { GROUP_BODY, GROUP_MEMBERS_BODY, GROUP_UPDATE_BODY } from '../../src/domain/groups/bodies.js';
import { ITEM_BODY } from '../../src/domain/storage/item-body.js';
import { CREATE_CONNECTION_BODY, SOURCE_FILE_BODY, UPDATE_CONNECTION_BODY } from '../../src/domain/storage-connections/create-body.js';
import { WEBHOOK_BODY, WEBHOOK_UPDATE_BODY } from '../../src/domain/webhooks/webhook-body.js';
import { TRACKING_BODY } from '../../src/domain/changed-elements/tracking-body.js';
import { SC } from '../helpers/api.js';
import { MC } from '../helpers/manifests.js';
import { CREATE_MANIFEST_CONNECTION_BODY, MANIFEST_SOURCE_FILE_BODY, UPDATE_MANIFEST_CONNECTION_BODY } from '../../src/domain/manifest-connections/body.js';
import { MANIFEST_BODY } from '../../src/domain/manifest-connections/manifest-body.js';
import {
  additionalValue,
  bodyShapes,
  declaredNames,
  documentedFields,
  documentedNames,
  pathName,
  reflects,
  responseNames,
  targets,
  validValue,
  violations,
  withValue,
  wrongAdditional,
  wrongType,
  type JsonSchema,
  type Path,
} from '../helpers/body-schema.js';
import { ALICE, PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';

/**
 * One contract per request body, checked from both ends (docs/decisions.md, "One contract per
 * request body"). For every operation the OpenAPI document gives a JSON body:
 * - the names its parser declares it reads (and can read only through that declaration: the build
 *   refuses any other) are exactly the documented properties;
 * - against the real app, a body built from the document is accepted, every optional property alone
 *   is accepted and reflected where the response documents it, defaults hold, and omitting each
 *   required property, a wrong type for each property and breaking each documented rule (enum,
 *   maxLength, format, pattern, range, entry counts) is a 422 naming that property;
 * - a body with every property wrong is one 422 naming them all.
 */

interface Fixture {
  /** What the parser declares it reads (src/domain/**\/*-body.ts). */
  declaration: BodyDeclaration;
  /** Where to send the body; called for each request that may succeed. */
  url(): Promise<string> | string;
  /** Values the schema cannot describe (things that must exist), by path name; functions are called per body. */
  values?: Record<string, unknown>;
  /** No bearer token: the URL is the credential. */
  anonymous?: boolean;
  /** Properties the response shows in another form (say why beside the fixture). */
  notReflected?: string[];
}

/** Operations whose documented body is not JSON, and what keeps their contract instead. */
const NOT_JSON: Record<string, string> = {
  // grant() in routes/oidc/token.ts reads fields typed by the TokenForm schema's own keys.
  token: 'form-encoded; its reader is typed by the schema',
  // routes/oidc/submit-sign-in.ts reads fields typed by the SignInForm schema's own keys; test/integration/sign-in.test.ts posts it.
  'submit-sign-in': 'form-encoded; its reader is typed by the schema',
};
/** JSON bodies that are not objects, so have no properties to hold to a declaration. */
const NOT_OBJECT: Record<string, string> = {
  // A bare array of ids, as the Users API takes it; test/integration/access-control-v2.test.ts checks its refusals.
  'get-users-by-id-list': 'a bare JSON array of user ids',
};

const CALLBACK = 'http://localhost:3301/callback';
let files = 0;

onEveryStore('request bodies: documented = enforced', ({ h }) => {
  let document: {
    paths: Record<
      string,
      Record<
        string,
        {
          operationId: string;
          requestBody?: { content: Record<string, { schema: JsonSchema }> };
          responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
        }
      >
    >;
  };
  const fixtures: Record<string, Fixture> = {};

  before(async () => {
    document = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const itwin = await h.itwin(ALICE);
    const parent = await h.itwin(ALICE);
    const file = () => h.file(itwin, `file-${++files}.ifc`);
    const top = await h.app.inject({ method: 'GET', url: `/storage?iTwinId=${itwin.id}`, headers: { authorization: `Bearer ${await h.token()}` } });
    const rootFolder = (top.json()._links.folder.href as string).split('/').pop()!;
    const connection = await send('POST', SC, { iModelId: await h.imodel(itwin), sourceFiles: [{ storageFileId: await file(), connectorType: 'IFC' }] });
    assert.equal(connection.status, 201, connection.text);
    const connectionId = connection.json.connection.id as string;
    const sourceFiles = await h.app.inject({
      method: 'GET',
      url: `${SC}/${connectionId}/sourcefiles`,
      headers: { authorization: `Bearer ${await h.token()}` },
    });
    const sourceFileId = sourceFiles.json().sourceFiles[0].id as string;
    const updatedFile = await file();
    // Named versions: one per changeset, so each body goes to a fresh iModel with one changeset of this id.
    const changesetId = 'c'.repeat(40);
    const imodelWithChangeset = async () => {
      const iModelId = await h.imodel(itwin);
      const taskId = randomUUID();
      await h.store.versions.append({
        ...{ id: changesetId, index: 1, parentId: '', iModelId, description: 'fixture', creatorId: ALICE, pushedAt: new Date().toISOString() },
        ...{ containingChanges: 0, application: { id: 'fixture', name: 'fixture' }, taskId, runId: randomUUID(), sourceFileId: randomUUID() },
        ...{ action: 'sync', contentHash: null, changedFiles: ['a.ifc'], checkpointSize: null, checkpointPruned: false },
      } as Parameters<typeof h.store.versions.append>[0]);
      return iModelId;
    };
    const namedIModel = await h.imodel(itwin);
    // Configurations: a create needs a scope without one, so each create body goes to a fresh scope.
    const newConnection = async () => {
      const res = await send('POST', SC, { iModelId: await h.imodel(itwin), sourceFiles: [{ storageFileId: await file(), connectorType: 'IFC' }] });
      assert.equal(res.status, 201, res.text);
      return res.json.connection.id as string;
    };
    const CFG = '/synchronization/configurations';
    const patched = { itwin: (await h.itwin(ALICE)).id, imodel: await h.imodel(itwin), connection: await newConnection() };
    for (const [level, id] of Object.entries(patched)) {
      const res = await send('POST', `${CFG}/${level}s/${id}`, {});
      assert.equal(res.status, 201, res.text);
    }
    // Manifest connections: source file ids are fresh per body; each run goes to a fresh connection (no active run of its iModel).
    let documents = 0;
    const documentId = () => `doc-${++documents}`;
    const manifestConnection = async () => {
      const res = await send('POST', MC, { iModelId: await h.imodel(itwin), sourceFiles: [{ sourceFileId: 'registered' }] });
      assert.equal(res.status, 201, res.text);
      return res.json.connection.id as string;
    };
    const manifestConnectionId = await manifestConnection();
    const manifestSourceFile = await send('POST', `${MC}/${manifestConnectionId}/sourcefiles`, { sourceFileId: documentId() });
    assert.equal(manifestSourceFile.status, 201, manifestSourceFile.text);
    const fileUrl = 'https://files.example.com/model.ifc';
    const named = await send('POST', `/imodels/${namedIModel}/namedversions`, { name: 'fixture' });
    assert.equal(named.status, 201, named.text);

    // Access Control v2: a role to assign, a user known by its address, an unknown address for owners (invited, so every body succeeds), fresh role names.
    await h.store.users.remember({ subject: 'contract-user', email: 'member@example.com' }, new Date().toISOString());
    const roleId = randomUUID();
    await h.store.itwins.insertRole({
      id: roleId,
      iTwinId: itwin.id,
      displayName: 'contract',
      description: '',
      permissions: [],
      createdAt: new Date().toISOString(),
    });
    let roles = 0;
    const roleName = () => `role ${++roles}`;
    const updatedRole = await send('POST', `/accesscontrol/itwins/${itwin.id}/roles`, { displayName: roleName(), description: '' });
    assert.equal(updatedRole.status, 201, updatedRole.text);
    const group = await send('POST', `/accesscontrol/itwins/${itwin.id}/groups`, { name: 'contract', description: '' });
    assert.equal(group.status, 201, group.text);
    const memberGroup = await send('POST', `/accesscontrol/itwins/${itwin.id}/members/groups`, {
      members: [{ groupId: group.json.group.id, roleIds: [roleId] }],
    });
    assert.equal(memberGroup.status, 201, memberGroup.text);

    const webhook = await send('POST', '/webhooks', {
      callbackUrl: 'https://hooks.example.com/in',
      eventTypes: ['synchronization.jobCompleted.v1'],
      scope: 'Account',
    });
    assert.equal(webhook.status, 201, webhook.text);
    // Webhooks: an https URL of a public host, a secret of 32 characters or more, an iTwin of the caller.
    const webhookValues = { callbackUrl: 'https://hooks.example.com/in', secret: 's'.repeat(40), scope: 'Account', scopeId: itwin.id };

    Object.assign(fixtures, {
      'enable-change-tracking': {
        declaration: TRACKING_BODY,
        url: () => '/changedelements/tracking',
        values: { iModelId: () => h.imodel(itwin), iTwinId: itwin.id, projectId: itwin.id },
      },
      'create-webhook': { declaration: WEBHOOK_BODY, url: () => '/webhooks', values: webhookValues },
      'update-webhook': { declaration: WEBHOOK_UPDATE_BODY, url: () => `/webhooks/${webhook.json.webhook.id}`, values: webhookValues },
      'create-itwin': { declaration: ITWIN_BODY, url: () => '/itwins', values: { parentId: parent.id } },
      'update-itwin': { declaration: ITWIN_UPDATE_BODY, url: () => `/itwins/${itwin.id}` },
      // A class whose subClass is optional (a GIS one needs it, which a schema cannot say), and a subClass it allows.
      'create-repository': {
        declaration: REPOSITORY_BODY,
        url: () => `/itwins/${itwin.id}/repositories`,
        values: { class: 'Subsurface', subClass: 'EvoWorkspace', uri: 'https://evo.example.com/workspaces/1' },
      },
      'add-itwin-members': { declaration: MEMBERS_BODY, url: () => `/accesscontrol/itwins/${itwin.id}/members` },
      'add-itwin-user-members': {
        declaration: USER_MEMBERS_BODY,
        url: () => `/accesscontrol/itwins/${itwin.id}/members/users`,
        values: { 'members[].email': 'member@example.com', 'members[].roleIds': [roleId] },
        // The added members are shown with their roles (objects), not the roleIds asked for.
        notReflected: ['members'],
      },
      'update-itwin-user-member': {
        declaration: MEMBER_ROLES_BODY,
        url: () => `/accesscontrol/itwins/${itwin.id}/members/users/${ALICE}`,
        values: { roleIds: [roleId] },
      },
      'add-itwin-owner-member': {
        declaration: OWNER_BODY,
        url: () => `/accesscontrol/itwins/${itwin.id}/members/owners`,
        values: { email: 'owner@example.com' },
      },
      'create-itwin-role': { declaration: ROLE_BODY, url: () => `/accesscontrol/itwins/${itwin.id}/roles`, values: { displayName: roleName } },
      'update-itwin-role': {
        declaration: ROLE_UPDATE_BODY,
        url: () => `/accesscontrol/itwins/${itwin.id}/roles/${updatedRole.json.role.id}`,
        values: { displayName: roleName },
      },
      'create-itwin-group': { declaration: GROUP_BODY, url: () => `/accesscontrol/itwins/${itwin.id}/groups` },
      'update-itwin-group': {
        declaration: GROUP_UPDATE_BODY,
        url: () => `/accesscontrol/itwins/${itwin.id}/groups/${group.json.group.id}`,
        values: { members: ['member@example.com'] },
        // The group shows its users (objects with their ids and addresses), not the addresses asked for.
        notReflected: ['members'],
      },
      'add-itwin-group-members': {
        declaration: GROUP_MEMBERS_BODY,
        url: () => `/accesscontrol/itwins/${itwin.id}/members/groups`,
        values: { 'members[].groupId': group.json.group.id, 'members[].roleIds': [roleId] },
        // The group members are shown with their roles (objects), not the ids asked for.
        notReflected: ['members'],
      },
      'update-itwin-group-member': {
        declaration: MEMBER_ROLES_BODY,
        url: () => `/accesscontrol/itwins/${itwin.id}/members/groups/${group.json.group.id}`,
        values: { roleIds: [roleId] },
      },
      'create-imodel': { declaration: IMODEL_BODY, url: () => '/imodels', values: { iTwinId: itwin.id } },
      // Each body renames a fresh iModel in a fresh iTwin, so the same generated name never clashes.
      'update-imodel': { declaration: IMODEL_UPDATE_BODY, url: async () => `/imodels/${await h.imodel(await h.itwin(ALICE))}` },
      'create-imodel-named-version': {
        declaration: NAMED_VERSION_BODY,
        url: async () => `/imodels/${await imodelWithChangeset()}/namedversions`,
        values: { changesetId, changesetIndex: 1 },
      },
      'update-imodel-named-version': {
        declaration: NAMED_VERSION_UPDATE_BODY,
        url: () => `/imodels/${namedIModel}/namedversions/${named.json.namedVersion.id}`,
      },
      'create-folder': { declaration: ITEM_BODY, url: () => `/storage/folders/${rootFolder}/folders` },
      'create-file': { declaration: ITEM_BODY, url: () => `/storage/folders/${rootFolder}/files` },
      'update-file': { declaration: ITEM_BODY, url: () => `/storage/files/${updatedFile}` },
      'update-folder': { declaration: ITEM_BODY, url: () => `/storage/folders/${rootFolder}` },
      'create-storage-connection': {
        declaration: CREATE_CONNECTION_BODY,
        url: () => SC,
        values: { iModelId: () => h.imodel(itwin), 'sourceFiles[].storageFileId': file },
      },
      'update-storage-connection': { declaration: UPDATE_CONNECTION_BODY, url: () => `${SC}/${connectionId}` },
      'add-storage-connection-sourcefile': { declaration: SOURCE_FILE_BODY, url: () => `${SC}/${connectionId}/sourcefiles`, values: { storageFileId: file } },
      'update-storage-connection-sourcefile': {
        declaration: SOURCE_FILE_BODY,
        url: () => `${SC}/${connectionId}/sourcefiles/${sourceFileId}`,
        values: { storageFileId: file },
      },
      'create-itwin-configuration': { declaration: ITWIN_CONFIGURATION_BODY, url: async () => `${CFG}/itwins/${(await h.itwin(ALICE)).id}` },
      'patch-itwin-configuration': { declaration: ITWIN_CONFIGURATION_BODY, url: () => `${CFG}/itwins/${patched.itwin}` },
      'create-imodel-configuration': { declaration: IMODEL_CONFIGURATION_BODY, url: async () => `${CFG}/imodels/${await h.imodel(itwin)}` },
      'patch-imodel-configuration': { declaration: IMODEL_CONFIGURATION_BODY, url: () => `${CFG}/imodels/${patched.imodel}` },
      'create-connection-configuration': { declaration: CONNECTION_CONFIGURATION_BODY, url: async () => `${CFG}/connections/${await newConnection()}` },
      'patch-connection-configuration': { declaration: CONNECTION_CONFIGURATION_BODY, url: () => `${CFG}/connections/${patched.connection}` },
      'create-manifest-connection': {
        declaration: CREATE_MANIFEST_CONNECTION_BODY,
        url: () => MC,
        values: { iModelId: () => h.imodel(itwin), 'sourceFiles[].sourceFileId': documentId },
      },
      'update-manifest-connection': { declaration: UPDATE_MANIFEST_CONNECTION_BODY, url: () => `${MC}/${manifestConnectionId}` },
      'add-manifest-connection-sourcefile': {
        declaration: MANIFEST_SOURCE_FILE_BODY,
        url: () => `${MC}/${manifestConnectionId}/sourcefiles`,
        values: { sourceFileId: documentId },
      },
      'update-manifest-connection-sourcefile': {
        declaration: MANIFEST_SOURCE_FILE_BODY,
        url: () => `${MC}/${manifestConnectionId}/sourcefiles/${manifestSourceFile.json.sourceFile.id}`,
        values: { sourceFileId: documentId },
      },
      'create-manifest-connection-run': {
        declaration: MANIFEST_BODY,
        url: async () => `${MC}/${await manifestConnection()}/runs`,
        values: {
          documentAttributeSchemaUrl: 'https://files.example.com/schema.json',
          'sourceFiles[].id': 'registered',
          'sourceFiles[].url': fileUrl,
          'sourceFiles[].children[].id': 'reference',
          'sourceFiles[].children[].parentId': 'registered',
          'sourceFiles[].children[].url': fileUrl,
        },
      },
      // record-consent.ts reads this one name; its file is not a *-body.ts parser, so it is declared here.
      'submit-consent': { declaration: { decision: true }, url: consentUrl, anonymous: true },
    } satisfies Record<string, Fixture>);
  });

  async function consentUrl(): Promise<string> {
    const url = `/synchronization/imodels/connections/authorizationinformation?redirectUrl=${encodeURIComponent(CALLBACK)}`;
    const res = await h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${await h.token()}` } });
    return (res.json().authorizationInformation._links.authorizationUrl.href as string).slice(PUBLIC_URL.length);
  }

  async function send(method: string, url: string, body: unknown, anonymous = false) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (!anonymous) headers.authorization = `Bearer ${await h.token()}`;
    const res = await h.app.inject({ method: method as 'POST', url, headers, payload: JSON.stringify(body) });
    let json: any;
    try {
      json = JSON.parse(res.body);
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, json, text: res.body };
  }

  /** Every operation of the document with a request body, by operation id. */
  function bodies() {
    const out: { id: string; method: string; path: string; content: Record<string, { schema: JsonSchema }>; success: number; response?: JsonSchema }[] = [];
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (!operation.requestBody) continue;
        const success = Object.keys(operation.responses)
          .map(Number)
          .find((s) => s >= 200 && s < 400);
        assert.ok(success, `${operation.operationId} documents a success status`);
        const response = operation.responses[success]!.content?.['application/json']?.schema;
        out.push({ id: operation.operationId, method: method.toUpperCase(), path, content: operation.requestBody.content, success, response });
      }
    }
    return out;
  }

  it('every documented body is covered: JSON ones by a fixture here, others by a stated reason', () => {
    const json = bodies()
      .filter((b) => b.content['application/json'] && !NOT_OBJECT[b.id])
      .map((b) => b.id)
      .sort();
    const other = bodies()
      .filter((b) => !b.content['application/json'])
      .map((b) => b.id)
      .sort();
    assert.deepEqual(json, Object.keys(fixtures).sort());
    assert.deepEqual(other, Object.keys(NOT_JSON).sort());
  });

  it('each parser declares exactly the documented properties', () => {
    for (const body of bodies().filter((b) => b.content['application/json'] && !NOT_OBJECT[b.id])) {
      const shapes = bodyShapes(body.content['application/json']!.schema, body.id);
      assert.deepEqual([...declaredNames(fixtures[body.id]!.declaration)].sort(), [...documentedNames(shapes)].sort(), `${body.id}: declared = documented`);
    }
  });

  it('each documented property is enforced as documented, and every problem is reported at once', async () => {
    const problems: string[] = [];
    for (const body of bodies().filter((b) => b.content['application/json'] && !NOT_OBJECT[b.id])) {
      const fixture = fixtures[body.id]!;
      const shapes = bodyShapes(body.content['application/json']!.schema, body.id);
      const fixed = (name: string) => fixture.values?.[name];
      const post = async (value: unknown) => send(body.method, await fixture.url(), value, fixture.anonymous);
      const answered = body.response ? responseNames(body.response) : new Set<string>();
      const alternatives = shapes.flatMap((s) => s.required!);

      for (const [i, shape] of shapes.entries()) {
        const label = shapes.length > 1 ? `${body.id} (shape ${i + 1})` : body.id;
        const accepted = async (what: string, value: unknown) => {
          const res = await post(value);
          if (res.status !== body.success) problems.push(`${label}: ${what} answered ${res.status}, not ${body.success}: ${res.text.slice(0, 300)}`);
          return res;
        };

        // (a) Bodies built from the document are accepted.
        const full = (await validValue(shape, [], true, fixed)) as Record<string, unknown>;
        const fullRes = await accepted('a body with every property', full);
        const minimal = (await validValue(shape, [], false, fixed)) as Record<string, unknown>;
        const minimalRes = await accepted('a body with only the required properties', minimal);

        // (d) Each optional property alone is accepted, and reflected where the response documents it.
        const check = (res: { status: number; json: unknown }, name: string, value: unknown, what: string) => {
          if (res.status === body.success && answered.has(name.toLowerCase()) && !fixture.notReflected?.includes(name) && !reflects(res.json, name, value)) {
            problems.push(`${label}: ${what}: the response does not show ${name} = ${JSON.stringify(value)}`);
          }
        };
        for (const [name, value] of Object.entries(full)) check(fullRes, name, value, 'a body with every property');
        for (const [name, field] of Object.entries(shape.properties!)) {
          if (shape.required!.includes(name)) continue;
          if (field.default !== undefined) check(minimalRes, name, field.default, `${name} left out (its documented default)`);
          const value = await validValue(field, [name], true, fixed);
          const alone = (await validValue(shape, [], false, fixed)) as Record<string, unknown>;
          check(await accepted(`${name} alone`, { ...alone, [name]: value }), name, value, `${name} alone`);
        }

        // (b, c) Missing, mistyped and rule-breaking properties are 422s naming them.
        const rejected = async (what: string, value: unknown, path: Path, codes: readonly string[], names: Path[] = [path]) => {
          const res = await post(value);
          const details: { code: string; target?: string }[] = res.json?.error?.details ?? [];
          const named = details.some((d) => codes.includes(d.code) && names.some((n) => targets(d.target, n)));
          if (res.status !== 422 || !named) problems.push(`${label}: ${pathName(path) || 'body'} ${what}: ${res.status} ${res.text.slice(0, 300)}`);
        };
        const base = await validValue(shape, [], true, fixed);
        for (const { path, field, required } of documentedFields(shape)) {
          if (required) {
            // Leaving out what one alternative requires may be reported as what another one requires.
            const names = path.length === 1 && shapes.length > 1 ? alternatives.map((n) => [n]) : [path];
            await rejected('missing', withValue(base, path, undefined), path, ['MissingRequiredProperty'], names);
          }
          const valid = path.reduce<any>((at, step) => at[step], base);
          for (const v of violations(field, valid)) {
            const names =
              v.value !== null && typeof v.value === 'object' && !Array.isArray(v.value) ? Object.keys(field.properties!).map((n) => [...path, n]) : [path];
            await rejected(`as ${v.what}`, withValue(base, path, v.value), path, v.codes, names);
          }
        }
        if (shape.minProperties) {
          await rejected(
            `with fewer than ${shape.minProperties} properties`,
            {},
            [],
            ['MissingRequiredProperty', 'InvalidValue'],
            Object.keys(shape.properties!).map((n) => [n]),
          );
        }

        // Every problem at once: each property of the wrong type, one 422 naming each.
        const allWrong = Object.fromEntries(Object.entries(shape.properties!).map(([name, field]) => [name, wrongType(field)]));
        const res = await post(allWrong);
        const details: { target?: string }[] = res.json?.error?.details ?? [];
        for (const name of Object.keys(shape.properties!)) {
          if (!details.some((d) => targets(d.target, [name])))
            problems.push(`${label}: every property wrong: no detail names ${name}: ${res.status} ${res.text.slice(0, 300)}`);
        }

        // Undocumented properties that additionalProperties allows are kept (and shown where the
        // response documents them); those of a type it does not allow are a 422 naming them.
        if (shape.additional) {
          const name = 'undocumentedExtra';
          const value = additionalValue(shape.additional);
          const kept = await accepted(`${name} (allowed by additionalProperties)`, { ...minimal, [name]: value });
          if (kept.status === body.success && !reflects(kept.json, name, value)) problems.push(`${label}: ${name} was not kept`);
          const wrong = wrongAdditional(shape.additional);
          if (wrong !== undefined) {
            await rejected(`as ${JSON.stringify(wrong)} (refused by additionalProperties)`, { ...minimal, [name]: wrong }, [name], ['InvalidValue']);
          }
        }
      }
    }
    assert.deepEqual(problems, []);
  });
});
