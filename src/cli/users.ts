import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { createAccount } from '../domain/accounts/create-account.js';
import type { Account } from '../domain/accounts/model.js';
import { Passwords } from '../domain/accounts/password.js';
import { removeAccount } from '../domain/accounts/remove-account.js';
import { setPassword } from '../domain/accounts/set-password.js';
import type { Store } from '../domain/store.js';
import { openDeploymentStore } from './deployment-store.js';

const USAGE = `usage: npm run users -- <command>
  list                                       the accounts: id (the sub of their tokens), address, name, created
  add --email ADDRESS [--name "Display Name"] [--given-name NAME] [--surname NAME]
      [--password PASSWORD | --password-stdin]
                                             adds an account; without a password, prints a random one (once)
  set-password <address|id> [--password PASSWORD | --password-stdin]
                                             sets a password (random and printed when none is given) and
                                             ends the account's sign-ins (its refresh tokens)
  remove <address|id>                        removes an account and ends its sign-ins
Passwords have at least 8 characters. --password-stdin reads the first line of standard input, which keeps
the password out of the shell's history and the process list.`;

/**
 * `npm run users -- list|add|set-password|remove`: the people who sign in with the built-in issuer,
 * in the deployment's store (DATABASE_URL, or the SQLite file in DATA_DIR, as the server's), so every
 * running API process knows a change at once. A printed password goes alone to standard output (a
 * script can capture it); everything else to standard error.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      'given-name': { type: 'string' },
      surname: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const [command, who, ...extra] = positionals;
  if (values.help || !command) return void process.stdout.write(`${USAGE}\n`);
  const arity = { list: 0, add: 0, 'set-password': 1, remove: 1 }[command];
  if (arity === undefined || (arity === 0 ? who !== undefined : !who || extra.length > 0)) throw new ConfigError(USAGE);
  if (values.password !== undefined && values['password-stdin']) throw new ConfigError('give --password or --password-stdin, not both');
  const config = loadConfig(process.env);
  if (config.auth.mode !== 'builtin') throw new ConfigError('AUTH_ISSUER is set: people sign in with that issuer, not with twinsync');
  const given = values['password-stdin'] ? await firstLineOfStdin() : values.password;
  const store = await openDeploymentStore(config);
  const passwords = new Passwords();
  try {
    if (command === 'list') {
      for (const a of await store.accounts.list()) process.stdout.write(`${a.id}\t${a.email}\t${a.displayName}\t${a.createdAt}\n`);
    } else if (command === 'add') {
      if (values.email === undefined) throw new ConfigError('add needs --email ADDRESS');
      const made = await createAccount(store, passwords, {
        email: values.email,
        displayName: values.name,
        givenName: values['given-name'],
        surname: values.surname,
        password: given,
      });
      process.stderr.write(`added ${made.account.email} (id ${made.account.id})${made.generated ? '; its password, shown this once:' : ''}\n`);
      if (made.generated) process.stdout.write(`${made.password}\n`);
    } else if (command === 'set-password') {
      const account = await find(store, who!);
      const set = await setPassword(store, passwords, account.id, given);
      if (!set) throw new ConfigError(`no account ${who} in the deployment’s store`);
      process.stderr.write(
        `set the password of ${account.email}; its sign-ins elsewhere are ended${given === undefined ? '; the new password, shown this once:' : ''}\n`,
      );
      if (given === undefined) process.stdout.write(`${set.password}\n`);
    } else {
      const account = await find(store, who!);
      if (!(await removeAccount(store, account.id))) throw new ConfigError(`no account ${who} in the deployment’s store`);
      process.stderr.write(
        `removed ${account.email} (id ${account.id}): its sign-ins are ended; access tokens already issued work until they expire (at most AUTH_TOKEN_TTL_SECONDS)\n`,
      );
    }
  } finally {
    await store.close();
  }
}

/** The account of an address (any case) or an id. */
async function find(store: Store, who: string): Promise<Account> {
  const account = who.includes('@') ? await store.accounts.findByEmail(who.trim()) : await store.accounts.find(who);
  if (!account) throw new ConfigError(`no account ${who} in the deployment’s store`);
  return account;
}

async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line === '') throw new ConfigError('--password-stdin: standard input held no password');
  return line;
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`twinsync users: ${message}\n`);
  process.exit(2);
});
