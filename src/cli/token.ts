import { parseArgs } from 'node:util';
import { BuiltinIssuer, recordedIssuer } from '../auth/builtin-issuer.js';
import { ConfigError, loadConfig } from '../config.js';

/**
 * `npm run -s token -- --scope "itwin-platform" [--sub USER] [--client ID] [--ttl SECONDS]`: prints one
 * access token from the built-in issuer (the key in DATA_DIR, as the server's) and nothing else on
 * standard output, so that scripts and tests can act as any user.
 * Only DATA_DIR has to match the server's.
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
  const issuer = await BuiltinIssuer.load(config.dataDir, { ...config.auth, issuer: issuerUrl });
  const client = values.client ? issuer.clients.find((c) => c.clientId === values.client) : issuer.clients[0];
  if (!client) throw new ConfigError(`no client "${values.client}" in ${config.dataDir}/clients.json`);
  const ttl = values.ttl === undefined ? undefined : Number(values.ttl);
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0)) throw new ConfigError('--ttl must be a positive number of seconds');
  const { token } = await issuer.issue({
    subject: values.sub ?? client.subject,
    clientId: client.clientId,
    scopes: values.scope.split(' ').filter(Boolean),
    ttlSeconds: ttl,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`twinsync token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
