import type { BuiltinIssuer } from './auth/builtin-issuer.js';
import type { FirstAccount } from './auth/sign-in-setup.js';
import type { Config } from './config.js';

/**
 * What `npm start` prints once it listens. The default client's secret, a ready token and the first
 * account's generated password only when standard output is a terminal (someone is reading it): piped
 * into a log collector (containers, systemd, CI) they would become secrets stored in logs, so then it
 * says where to find or how to set them instead.
 */
export async function bannerLines(config: Config, issuer: BuiltinIssuer | undefined, onTerminal: boolean, firstAccount?: FirstAccount): Promise<string[]> {
  const lines = [`twinsync is listening on ${config.publicUrl}`];
  if (issuer) lines.push(...signInLines(config, onTerminal, firstAccount));
  const client = issuer?.clients[0];
  if (client && issuer && onTerminal) {
    const { token } = await issuer.issue({
      subject: client.subject,
      clientId: client.clientId,
      scopes: client.scopes,
      ...(client.email ? { email: client.email } : {}),
    });
    lines.push(
      `Built-in issuer: client_id=${client.clientId} client_secret=${client.clientSecret} (npm run -s clients -- secret ${client.clientId})`,
      `A token for it (valid ${config.auth.tokenTtlSeconds}s; more with: npm run -s token -- --scope itwin-platform):`,
      `  export TOKEN=${token}`,
    );
  } else if (client) {
    lines.push(
      `Built-in issuer: client_id=${client.clientId}; its secret: npm run -s clients -- secret ${client.clientId} (not printed: standard output is not a terminal)`,
      'A token for it: export TOKEN=$(npm run -s token -- --scope itwin-platform)   (with the same DATA_DIR and DATABASE_URL)',
    );
  }
  lines.push(
    'Start with an iTwin (then an iModel, a file upload and a storage connection: README.md, Quickstart):',
    `  curl -s -X POST ${config.publicUrl}/itwins -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ` +
      `-d '{"displayName":"My iTwin","class":"Endeavor","subClass":"Project"}'`,
  );
  return lines;
}

/** How a person signs in: where, and, on the start that made it, with which account. */
function signInLines(config: Config, onTerminal: boolean, firstAccount: FirstAccount | undefined): string[] {
  const page = `${config.publicUrl}/app/`;
  if (!firstAccount) return [`Sign in at ${page} (accounts: npm run users -- list)`];
  const change = `npm run users -- set-password ${firstAccount.email}`;
  if (firstAccount.generatedPassword === undefined) return [`Sign in at ${page} as ${firstAccount.email} with the password of AUTH_ADMIN_PASSWORD`];
  if (onTerminal) {
    return [`Sign in at ${page} as ${firstAccount.email} with the password ${firstAccount.generatedPassword}   (shown this once; change it: ${change})`];
  }
  return [
    `Sign in at ${page} as ${firstAccount.email}: its password was made at random and is not printed (standard output is not a terminal); set one: ${change}`,
  ];
}
