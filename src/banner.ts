import type { BuiltinIssuer } from './auth/builtin-issuer.js';
import type { Config } from './config.js';

/**
 * What `npm start` prints once it listens. The default client's secret and a ready token only when
 * standard output is a terminal (someone is reading it): piped into a log collector (containers,
 * systemd, CI) they would become secrets stored in logs, so then it says where to find them instead.
 */
export async function bannerLines(config: Config, issuer: BuiltinIssuer | undefined, onTerminal: boolean): Promise<string[]> {
  const lines = [`twinsync is listening on ${config.publicUrl}`];
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
