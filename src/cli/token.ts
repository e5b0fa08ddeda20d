import { parseArgs } from 'node:util';
import { BuiltinIssuer, recordedIssuer } from '../auth/builtin-issuer.js';
import { ConfigError, loadConfig } from '../config.js';
import { openDeploymentStore } from './deployment-store.js';

/**
 * `npm run -s token -- --scope "itwin-platform" [--sub USER] [--client ID] [--ttl SECONDS]`: prints one
 * access token from the built-in issuer (the key in the deployment's store, as the server's) and
 * nothing else on standard output, so that scripts and tests can act as any user. A client added with
 * `--email` gives its address (the `email` claim) to the tokens of its own subject. DATA_DIR (and
 * DATABASE_URL, when the server has one) must be the server's.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scope: { type: 'string', default: 'itwin-platform' },
      sub: { type: 'string' },
      client: { type: 'string' },
      ttl: { type: 'string' },
    },
    strict: true,
  });
  const config = loadConfig(process.env);
  if (config.auth.mode !== 'builtin') throw new ConfigError('AUTH_ISSUER is set: tokens come from that issuer, not from twinsync');
  // Sign as the server on this DATA_DIR does, unless PUBLIC_URL says otherwise.
  const issuerUrl = process.env.PUBLIC_URL ? config.auth.issuer : (recordedIssuer(config.dataDir) ?? config.auth.issuer);
  const ttl = values.ttl === undefined ? undefined : Number(values.ttl);
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0)) throw new ConfigError('--ttl must be a positive number of seconds');
  const store = await openDeploymentStore(config);
  try {
    const issuer = await BuiltinIssuer.load(store.deployment, config.dataDir, { ...config.auth, issuer: issuerUrl });
    const client = values.client ? issuer.registry.find(values.client) : issuer.clients[0];
    if (!client)
      throw new ConfigError(
        values.client ? `no client "${values.client}" in the deployment’s store` : 'the deployment has no OAuth client (npm run clients -- add)',
      );
    const subject = values.sub ?? client.subject;
    const { token } = await issuer.issue({
      subject,
      clientId: client.clientId,
      scopes: values.scope.split(' ').filter(Boolean),
      ttlSeconds: ttl,
      // The client's address goes with its own subject's tokens, as at the token endpoint; a token
      // for another user (--sub) must not claim an address that is not that user's.
      ...(client.email && subject === client.subject ? { email: client.email } : {}),
    });
    process.stdout.write(`${token}\n`);
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`twinsync token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
