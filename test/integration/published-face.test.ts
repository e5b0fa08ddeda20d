import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { operations } from '../../src/http/operations.js';
import { onEveryStore } from '../helpers/on-every-store.js';

/** The Synchronization API's operations (docs/api-contract.md, Operations); `pending` marks one not built yet. */
const DOCUMENTED: Array<[method: string, path: string, pending?: string]> = [
  ['POST', '/synchronization/imodels/storageconnections'],
  ['GET', '/synchronization/imodels/storageconnections/{connectionId}'],
  ['GET', '/synchronization/imodels/storageconnections'],
  ['GET', '/synchronization/imodels/connections'],
  ['PUT', '/synchronization/imodels/storageconnections/{connectionId}'],
  ['DELETE', '/synchronization/imodels/storageconnections/{connectionId}'],
  ['POST', '/synchronization/imodels/storageconnections/{connectionId}/sourcefiles'],
  ['GET', '/synchronization/imodels/storageconnections/{connectionId}/sourcefiles/{sourceFileId}'],
  ['GET', '/synchronization/imodels/storageconnections/{connectionId}/sourcefiles'],
  ['PUT', '/synchronization/imodels/storageconnections/{connectionId}/sourcefiles/{sourceFileId}'],
  ['DELETE', '/synchronization/imodels/storageconnections/{connectionId}/sourcefiles/{sourceFileId}'],
  ['POST', '/synchronization/imodels/storageconnections/{connectionId}/run'],
  ['GET', '/synchronization/imodels/storageconnections/{connectionId}/runs/{runId}'],
  ['GET', '/synchronization/imodels/storageconnections/{connectionId}/runs'],
  ['GET', '/synchronization/imodels/connections/authorizationinformation'],
  ['POST', '/synchronization/configurations/itwins/{iTwinId}'],
  ['GET', '/synchronization/configurations/itwins/{iTwinId}'],
  ['PATCH', '/synchronization/configurations/itwins/{iTwinId}'],
  ['DELETE', '/synchronization/configurations/itwins/{iTwinId}'],
  ['POST', '/synchronization/configurations/imodels/{iModelId}'],
  ['GET', '/synchronization/configurations/imodels/{iModelId}'],
  ['PATCH', '/synchronization/configurations/imodels/{iModelId}'],
  ['DELETE', '/synchronization/configurations/imodels/{iModelId}'],
  ['POST', '/synchronization/configurations/connections/{connectionId}'],
  ['GET', '/synchronization/configurations/connections/{connectionId}'],
  ['PATCH', '/synchronization/configurations/connections/{connectionId}'],
  ['DELETE', '/synchronization/configurations/connections/{connectionId}'],
  ['POST', '/synchronization/imodels/manifestconnections'],
  ['GET', '/synchronization/imodels/manifestconnections/{connectionId}'],
  ['GET', '/synchronization/imodels/manifestconnections'],
  ['PUT', '/synchronization/imodels/manifestconnections/{connectionId}'],
  ['DELETE', '/synchronization/imodels/manifestconnections/{connectionId}'],
  ['POST', '/synchronization/imodels/manifestconnections/{connectionId}/sourcefiles'],
  ['GET', '/synchronization/imodels/manifestconnections/{connectionId}/sourcefiles/{sourceFileId}'],
  ['GET', '/synchronization/imodels/manifestconnections/{connectionId}/sourcefiles'],
  ['PUT', '/synchronization/imodels/manifestconnections/{connectionId}/sourcefiles/{sourceFileId}'],
  ['DELETE', '/synchronization/imodels/manifestconnections/{connectionId}/sourcefiles/{sourceFileId}'],
  ['POST', '/synchronization/imodels/manifestconnections/{connectionId}/runs'],
  ['GET', '/synchronization/imodels/manifestconnections/{connectionId}/runs/{runId}'],
  ['GET', '/synchronization/imodels/manifestconnections/{connectionId}/runs'],
];

/** The platform calls the iTwin CLI makes for access control and users (docs/access-control.md, status table). */
const AC = '/accesscontrol/itwins/{iTwinId}';
const PLATFORM: Array<[method: string, path: string, pending?: string]> = [
  ['POST', `${AC}/members/users`],
  ['GET', `${AC}/members/users`],
  ['GET', `${AC}/members/users/{memberId}`],
  ['PATCH', `${AC}/members/users/{memberId}`],
  ['DELETE', `${AC}/members/users/{memberId}`],
  ['POST', `${AC}/members/owners`],
  ['GET', `${AC}/members/owners`],
  ['DELETE', `${AC}/members/owners/{memberId}`],
  ['GET', `${AC}/members/invitations`],
  ['POST', `${AC}/roles`],
  ['GET', `${AC}/roles`],
  ['GET', `${AC}/roles/{roleId}`],
  ['PATCH', `${AC}/roles/{roleId}`],
  ['DELETE', `${AC}/roles/{roleId}`],
  ['GET', '/accesscontrol/itwins/permissions'],
  ['GET', `${AC}/permissions`],
  ['POST', `${AC}/groups`],
  ['GET', `${AC}/groups`],
  ['GET', `${AC}/groups/{groupId}`],
  ['PATCH', `${AC}/groups/{groupId}`],
  ['DELETE', `${AC}/groups/{groupId}`],
  ['POST', `${AC}/members/groups`],
  ['GET', `${AC}/members/groups`],
  ['GET', `${AC}/members/groups/{groupId}`],
  ['PATCH', `${AC}/members/groups/{groupId}`],
  ['DELETE', `${AC}/members/groups/{groupId}`],
  ['GET', '/users/me'],
  ['POST', '/users/getbyidlist'],
  ['GET', '/users/'],
];

const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

onEveryStore('published face', ({ h, harness }) => {
  const restricted = harness({ CORS_ORIGINS: 'https://app.example.com' });
  let document: { openapi: string; paths: Record<string, Record<string, { operationId?: string; security?: unknown }>> };
  before(async () => {
    document = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });

  describe('OpenAPI document', () => {
    it('is OpenAPI 3.1', () => assert.equal(document.openapi, '3.1.0'));

    it('documents every route of the operations table, by its operation id, with its security', () => {
      const routed = h.app.registeredRoutes.filter((r) => r.operation && r.operation !== operations.openapiDocument && r.method !== 'HEAD');
      assert.ok(routed.length > 10);
      for (const route of routed) {
        const entry = document.paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
        assert.ok(entry, `${route.method} ${route.url} is in the document`);
        assert.equal(entry.operationId, route.operation!.id);
        if (route.operation!.scopes) assert.deepEqual(entry.security, [{ bearer: [...route.operation!.scopes] }]);
      }
    });

    it('every route of the app is an operation of the table, or known infrastructure', () => {
      const infrastructure = /^(\/docs|\*|\/openapi\.json|\/app)/;
      for (const route of h.app.registeredRoutes) {
        if (route.method === 'HEAD' || route.method === 'OPTIONS') continue;
        assert.ok(route.operation || infrastructure.test(route.url), `${route.method} ${route.url} has an operations-table entry`);
      }
    });

    for (const [method, path, pending, where] of [
      ...DOCUMENTED.map(([m, p, t]) => [m, p, t, 'docs/api-contract.md'] as const),
      ...PLATFORM.map(([m, p, t]) => [m, p, t, 'docs/access-control.md'] as const),
    ]) {
      it(`routes ${method} ${path} (${where})`, { todo: pending }, () => {
        const routed = h.app.registeredRoutes.some((r) => r.method === method && openApiPath(r.url) === path);
        assert.ok(routed, `${method} ${path} is routed`);
        assert.ok(document.paths[path]?.[method.toLowerCase()], `${method} ${path} is documented`);
      });
    }
  });

  it('serves the reference page and its script from the package, with no external URL in the page', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /text\/html/);
    assert.doesNotMatch(page.body, /https?:\/\/(?!localhost|127\.0\.0\.1)/);
    const script = /src="([^"]+\.js)"/.exec(page.body)?.[1];
    assert.ok(script, 'the page loads a script');
    const js = await h.app.inject({ method: 'GET', url: script!.startsWith('/') ? script! : `/docs/${script}` });
    assert.equal(js.statusCode, 200);
    assert.ok(js.body.length > 100_000);
  });

  describe('CORS', () => {
    it('preflight allows the headers browser clients send', async () => {
      const res = await h.app.inject({
        method: 'OPTIONS',
        url: '/synchronization/imodels/storageconnections',
        headers: {
          origin: 'http://localhost:5173',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,prefer',
        },
      });
      assert.equal(res.statusCode, 204);
      assert.equal(res.headers['access-control-allow-origin'], '*');
      const allowed = (res.headers['access-control-allow-headers'] as string).toLowerCase();
      for (const header of ['authorization', 'content-type', 'prefer', 'accept']) assert.ok(allowed.includes(header), header);
    });

    it('responses, errors included, expose Location and retry-after', async () => {
      const res = await h.app.inject({ method: 'GET', url: '/synchronization/imodels/storageconnections', headers: { origin: 'http://localhost:5173' } });
      assert.equal(res.statusCode, 401);
      assert.equal(res.headers['access-control-allow-origin'], '*');
      const exposed = (res.headers['access-control-expose-headers'] as string).toLowerCase();
      assert.ok(exposed.includes('location'));
      assert.ok(exposed.includes('retry-after'));
    });

    it('with CORS_ORIGINS set, only those origins are allowed', async () => {
      const ok = await restricted.app.inject({
        method: 'OPTIONS',
        url: '/synchronization/imodels/storageconnections',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
      });
      assert.equal(ok.headers['access-control-allow-origin'], 'https://app.example.com');
      const no = await restricted.app.inject({
        method: 'OPTIONS',
        url: '/synchronization/imodels/storageconnections',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
      });
      assert.equal(no.headers['access-control-allow-origin'], undefined);
    });
  });
});
