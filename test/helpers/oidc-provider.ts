import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/**
 * A small external OpenID provider, standing in for one an operator would configure (AUTH_ISSUER):
 * discovery, JWKS, an authorization endpoint for a user who is already signed in there (it answers
 * at once with a code), and a token endpoint that redeems the code only with the PKCE verifier of its
 * S256 challenge, and renews with a rotating refresh token. It checks what a real provider checks
 * of a public client: the client id, the exact redirect URI, the challenge method, the verifier.
 */
export interface OidcProvider {
  issuer: string;
  /** The settings of a twinsync that trusts this provider. */
  env: Record<string, string>;
  /** Requests by endpoint, and every refusal with its reason (for the assertions). */
  seen: { authorize: number; codeRedeemed: number; refreshed: number; refused: string[] };
  close(): Promise<void>;
}

export async function startOidcProvider(options: { clientId: string; redirectUri: () => string; subject: string; email: string }): Promise<OidcProvider> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'provider-key', alg: 'ES256', use: 'sig' };
  const codes = new Map<string, { challenge: string; nonce: string; redirectUri: string }>();
  const refreshTokens = new Set<string>();
  const seen: OidcProvider['seen'] = { authorize: 0, codeRedeemed: 0, refreshed: 0, refused: [] };
  let issuer = '';

  const sign = (claims: Record<string, unknown>) =>
    new SignJWT({ ...claims, iss: issuer, sub: options.subject, email: options.email })
      .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
  const tokens = async (nonce?: string) => {
    const refresh = randomBytes(24).toString('base64url');
    refreshTokens.add(refresh);
    return {
      token_type: 'Bearer',
      access_token: await sign({ scope: 'itwin-platform', azp: options.clientId }),
      expires_in: 600,
      refresh_token: refresh,
      ...(nonce === undefined ? {} : { id_token: await sign({ aud: options.clientId, nonce }) }),
    };
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const refuse = (reason: string) => {
      seen.refused.push(reason);
      json(400, { error: 'invalid_grant', error_description: reason });
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'GET, POST' });
      return res.end();
    }
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      seen.authorize++;
      const q = url.searchParams;
      const problems = [
        q.get('response_type') !== 'code' && 'response_type',
        q.get('client_id') !== options.clientId && 'client_id',
        q.get('redirect_uri') !== options.redirectUri() && 'redirect_uri',
        q.get('code_challenge_method') !== 'S256' && 'code_challenge_method',
        !/^[A-Za-z0-9_-]{43}$/.test(q.get('code_challenge') ?? '') && 'code_challenge',
        !q.get('state') && 'state',
        !(q.get('scope') ?? '').split(' ').includes('openid') && 'scope',
      ].filter(Boolean);
      if (problems.length) {
        seen.refused.push(`authorize: ${problems.join(', ')}`);
        res.writeHead(400, { 'content-type': 'text/plain' });
        return res.end(`bad authorization request: ${problems.join(', ')}`);
      }
      const code = randomBytes(24).toString('base64url');
      codes.set(code, { challenge: q.get('code_challenge')!, nonce: q.get('nonce') ?? '', redirectUri: q.get('redirect_uri')! });
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state')!);
      res.writeHead(302, { location: back.href });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        void (async () => {
          const form = new URLSearchParams(body);
          if (form.get('client_id') !== options.clientId) return refuse('unknown client');
          if (form.get('grant_type') === 'authorization_code') {
            const grant = codes.get(form.get('code') ?? '');
            codes.delete(form.get('code') ?? '');
            if (!grant) return refuse('unknown or used code');
            if (form.get('redirect_uri') !== grant.redirectUri) return refuse('redirect_uri differs');
            const verifier = form.get('code_verifier') ?? '';
            if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) return refuse('code_verifier does not match the challenge');
            seen.codeRedeemed++;
            return json(200, await tokens(grant.nonce));
          }
          if (form.get('grant_type') === 'refresh_token') {
            const presented = form.get('refresh_token') ?? '';
            if (!refreshTokens.delete(presented)) return refuse('unknown or used refresh token');
            seen.refreshed++;
            return json(200, await tokens());
          }
          return refuse('unsupported grant_type');
        })();
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    env: { AUTH_ISSUER: issuer, AUTH_JWKS_URL: `${issuer}/jwks`, WEB_APP_CLIENT_ID: options.clientId, WEB_APP_SCOPE: 'openid itwin-platform offline_access' },
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
