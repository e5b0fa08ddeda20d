import { parseArgs } from 'node:util';
import { ClientRegistry } from '../auth/client-registry.js';
import { ALL_SCOPES, isRedirectUri, newClient } from '../auth/clients.js';
import { ConfigError, loadConfig } from '../config.js';

const USAGE = `usage: npm run clients -- <command>
  list                                      the clients (no secrets)
  add <clientId> [--subject SUB] [--scope "a b"] [--redirect-uri URL]...
                                            adds a client and prints its secret once
  remove <clientId>                         removes a client: its tokens stop working within a second`;

/**
 * `npm run clients -- add|list|remove`: manages the built-in issuer's OAuth clients in
 * DATA_DIR/clients.json (the DATA_DIR of the environment, as the server's). The file is replaced in
 * one step; running servers on that DATA_DIR notice within about a second.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      subject: { type: 'string' },
      scope: { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const [command, clientId, ...extra] = positionals;
  if (values.help || !command) return void process.stdout.write(`${USAGE}\n`);
  const config = loadConfig(process.env);
  if (config.auth.mode !== 'builtin') throw new ConfigError('AUTH_ISSUER is set: clients are managed by that issuer, not by twinsync');
  const registry = ClientRegistry.load(config.dataDir);

  if (command === 'list') {
    if (clientId) throw new ConfigError(USAGE);
    for (const c of registry.list()) {
      const redirects = c.redirectUris?.length ? ` redirectUris=${c.redirectUris.join(',')}` : '';
      process.stdout.write(`${c.clientId}\tsubject=${c.subject}\tscopes=${c.scopes.join(' ')}${redirects}\n`);
    }
    return;
  }
  if (!clientId || extra.length > 0) throw new ConfigError(USAGE);
  if (command === 'add') {
    const scopes = values.scope === undefined ? ALL_SCOPES : values.scope.split(' ').filter(Boolean);
    const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s));
    if (unknown.length > 0) throw new ConfigError(`unknown scope ${unknown.join(', ')} (known: ${ALL_SCOPES.join(' ')})`);
    const redirectUris = values['redirect-uri'] ?? [];
    const bad = redirectUris.find((u) => !isRedirectUri(u));
    if (bad !== undefined) throw new ConfigError(`--redirect-uri must be an absolute http(s) URL, got "${bad}"`);
    const client = newClient(
      clientId,
      values.subject ?? clientId,
      scopes,
      redirectUris.map((u) => new URL(u).href),
    );
    registry.add(client);
    process.stderr.write(`added ${client.clientId} (subject ${client.subject}) to ${registry.file}; its secret, shown once:\n`);
    process.stdout.write(`${client.clientSecret}\n`);
    return;
  }
  if (command === 'remove') {
    if (!registry.remove(clientId)) throw new ConfigError(`no client "${clientId}" in ${registry.file}`);
    process.stderr.write(`removed ${clientId} from ${registry.file}: its tokens stop working within a second\n`);
    return;
  }
  throw new ConfigError(USAGE);
}

main().catch((error: unknown) => {
  process.stderr.write(`twinsync clients: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
