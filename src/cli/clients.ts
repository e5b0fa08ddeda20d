import { parseArgs } from 'node:util';
import { BuiltinIssuer } from '../auth/builtin-issuer.js';
import { ALL_SCOPES, isPublicClient, isRedirectUri, newClient, newPublicClient } from '../auth/clients.js';
import { ConfigError, loadConfig } from '../config.js';
import { isEmailAddress } from '../domain/users/model.js';
import { openDeploymentStore } from './deployment-store.js';

const USAGE = `usage: npm run clients -- <command>
  list                                      the clients (no secrets)
  add <clientId> [--subject SUB] [--scope "a b"] [--redirect-uri URL]... [--email ADDRESS]
                                            adds a client and prints its secret
  add <clientId> --public --redirect-uri URL... [--scope "a b"]
                                            adds a public client (a web page or an app that signs
                                            people in with PKCE: no secret, no tokens of its own)
  secret <clientId>                         prints a client's secret (e.g. the default client's)
  remove <clientId>                         removes a client: its tokens stop working within a second`;

/**
 * `npm run clients -- add|list|secret|remove`: manages the built-in issuer's OAuth clients in the
 * deployment's store (DATABASE_URL, or the SQLite file in DATA_DIR, as the server's). Every running
 * API process of the deployment follows the store: an added client gets tokens from any of them at
 * once, a removed one's tokens are refused everywhere within about a second.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      subject: { type: 'string' },
      scope: { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      email: { type: 'string' },
      public: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const [command, clientId, ...extra] = positionals;
  if (values.help || !command) return void process.stdout.write(`${USAGE}\n`);
  if (!['list', 'add', 'secret', 'remove'].includes(command)) throw new ConfigError(USAGE);
  if (command === 'list' ? clientId !== undefined : !clientId || extra.length > 0) throw new ConfigError(USAGE);
  const config = loadConfig(process.env);
  if (config.auth.mode !== 'builtin') throw new ConfigError('AUTH_ISSUER is set: clients are managed by that issuer, not by twinsync');
  const store = await openDeploymentStore(config);
  try {
    // Loading the issuer imports a previous release's DATA_DIR files, as a server's start would.
    const { registry } = await BuiltinIssuer.load(store.deployment, config.dataDir, config.auth);
    const where = 'the deployment’s store';
    if (command === 'list') {
      for (const c of registry.list()) {
        const redirects = c.redirectUris?.length ? ` redirectUris=${c.redirectUris.join(',')}` : '';
        const email = c.email ? ` email=${c.email}` : '';
        const kind = isPublicClient(c) ? 'public' : `subject=${c.subject}`;
        process.stdout.write(`${c.clientId}\t${kind}\tscopes=${c.scopes.join(' ')}${redirects}${email}\n`);
      }
    } else if (command === 'add') {
      const scopes = values.scope === undefined ? ALL_SCOPES : values.scope.split(' ').filter(Boolean);
      const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s));
      if (unknown.length > 0) throw new ConfigError(`unknown scope ${unknown.join(', ')} (known: ${ALL_SCOPES.join(' ')})`);
      const redirectUris = values['redirect-uri'] ?? [];
      const bad = redirectUris.find((u) => !isRedirectUri(u));
      if (bad !== undefined) throw new ConfigError(`--redirect-uri must be an absolute http(s) URL, got "${bad}"`);
      const email = values.email;
      if (email !== undefined && !isEmailAddress(email)) throw new ConfigError(`--email must be an e-mail address, got "${email}"`);
      if (values.public) {
        if (redirectUris.length === 0) throw new ConfigError('a public client needs at least one --redirect-uri: where its codes are sent');
        if (values.subject !== undefined || email !== undefined) throw new ConfigError('a public client has no tokens of its own: no --subject or --email');
        const client = newPublicClient(
          clientId!,
          scopes,
          redirectUris.map((u) => new URL(u).href),
        );
        await registry.add(client);
        process.stderr.write(`added the public client ${client.clientId} to ${where}: people sign in through it with PKCE; it has no secret\n`);
        return;
      }
      const made = newClient(
        clientId!,
        values.subject ?? clientId!,
        scopes,
        redirectUris.map((u) => new URL(u).href),
      );
      // Its tokens carry the address (`email`), so the client can be added to iTwins by it.
      const client = email === undefined ? made : { ...made, email };
      await registry.add(client);
      process.stderr.write(`added ${client.clientId} (subject ${client.subject}) to ${where}; its secret:\n`);
      process.stdout.write(`${client.clientSecret}\n`);
    } else if (command === 'secret') {
      const client = registry.find(clientId!);
      if (!client) throw new ConfigError(`no client "${clientId}" in ${where}`);
      if (client.clientSecret === undefined) throw new ConfigError(`${clientId} is a public client: it has no secret`);
      process.stdout.write(`${client.clientSecret}\n`);
    } else {
      if (!(await registry.remove(clientId!))) throw new ConfigError(`no client "${clientId}" in ${where}`);
      process.stderr.write(`removed ${clientId} from ${where}: its tokens stop working within a second\n`);
    }
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`twinsync clients: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
