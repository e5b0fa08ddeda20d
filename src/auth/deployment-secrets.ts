import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DeploymentRepository } from '../domain/deployment/repository.js';
import { parseClients } from './clients.js';

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * The named secrets of a deployment, kept in its store (`deployment_secrets`), and the DATA_DIR file
 * each was kept in before (imported once, see importLegacyFiles). `value` reads a legacy file's JSON
 * as the string the store keeps.
 */
export const SECRETS = {
  /** The built-in issuer's ES256 private key, a JWK as JSON. */
  issuerKey: { name: 'issuer-signing-key', file: 'issuer-key.json', value: (json: unknown) => JSON.stringify(json) },
  /** HMAC key of upload and checkpoint download URLs, 32 bytes in base64url. */
  uploadUrls: { name: 'upload-url-secret', file: 'upload-key.json', value: secretField },
  /** HMAC key of consent tickets, 32 bytes in base64url. */
  consentTickets: { name: 'consent-ticket-secret', file: 'consent-secret.json', value: secretField },
} as const;

/** HMAC key of the sign-in form's tokens (docs/sign-in.md), 32 bytes in base64url; newer than DATA_DIR's files. */
export const SIGN_IN_FORM_SECRET = 'sign-in-form-secret';

/** The built-in issuer's clients before the store held them; renamed to `clients.json.imported` once imported. */
export const LEGACY_CLIENTS_FILE = 'clients.json';
export const IMPORTED_SUFFIX = '.imported';

/** The HMAC secrets every API process of a deployment uses, as bytes. */
export interface DeploymentSecrets {
  readonly uploadUrls: Buffer;
  readonly consentTickets: Buffer;
  readonly signInForms: Buffer;
}

/**
 * The deployment's HMAC secrets from its store, made on its first start (32 random bytes; the first
 * process to store one wins, the others read it). Files a previous release kept in `dataDir` are
 * imported first, so that URLs and tickets it signed stay valid.
 */
export async function loadDeploymentSecrets(repo: DeploymentRepository, dataDir: string, log?: Log): Promise<DeploymentSecrets> {
  await importLegacyFiles(repo, dataDir, log);
  const [uploadUrls, consentTickets, signInForms] = await Promise.all([
    hmacSecret(repo, SECRETS.uploadUrls.name),
    hmacSecret(repo, SECRETS.consentTickets.name),
    hmacSecret(repo, SIGN_IN_FORM_SECRET),
  ]);
  return { uploadUrls, consentTickets, signInForms };
}

async function hmacSecret(repo: DeploymentRepository, name: string): Promise<Buffer> {
  // A read first: once the deployment has it, a start writes nothing.
  const value = (await repo.findSecret(name)) ?? (await repo.secretOrInsert(name, randomBytes(32).toString('base64url'), new Date().toISOString())).value;
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length < 32) throw new Error(`the deployment secret "${name}" must be at least 32 bytes (base64url)`);
  return bytes;
}

/**
 * Imports what a previous release kept in DATA_DIR into the store, where the store has none yet:
 * the secret files (left in place; the store's value wins from then on, and a file that differs is
 * reported) and `clients.json` (each client unless the store has one of its id; the file is then
 * renamed `clients.json.imported`, so that a client removed later is not imported again). Safe to
 * call on every start and from several processes at once: every write is insert-if-absent.
 */
export async function importLegacyFiles(repo: DeploymentRepository, dataDir: string, log?: Log): Promise<void> {
  const now = new Date().toISOString();
  for (const secret of Object.values(SECRETS)) {
    const file = path.join(dataDir, secret.file);
    const json = readJson(file);
    if (json === undefined) continue;
    const value = secret.value(json, file);
    const outcome = await repo.secretOrInsert(secret.name, value, now);
    if (outcome.inserted) log?.info({ file, secret: secret.name }, 'imported a secret of DATA_DIR into the store');
    else if (outcome.value !== value) {
      log?.warn({ file, secret: secret.name }, 'this DATA_DIR file differs from the deployment secret in the store: the store’s is used');
    }
  }
  await importLegacyClients(repo, dataDir, now, log);
}

async function importLegacyClients(repo: DeploymentRepository, dataDir: string, now: string, log?: Log): Promise<void> {
  const file = path.join(dataDir, LEGACY_CLIENTS_FILE);
  const json = readJson(file);
  if (json === undefined) return;
  const clients = parseClients(json, file);
  const kept: string[] = [];
  for (const [i, client] of clients.entries()) {
    // One millisecond apart, so the store lists them in the file's order (the first is the default).
    if (await repo.insertClient(client, new Date(Date.parse(now) + i).toISOString())) continue;
    const stored = await repo.findClient(client.clientId);
    if (JSON.stringify(stored) !== JSON.stringify(client)) kept.push(client.clientId);
  }
  try {
    fs.renameSync(file, `${file}${IMPORTED_SUFFIX}`);
  } catch (error) {
    // Another process on the same DATA_DIR imported it at the same moment.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  log?.info(
    { file, clients: clients.length },
    `imported the OAuth clients of DATA_DIR into the store; the file is now ${LEGACY_CLIENTS_FILE}${IMPORTED_SUFFIX}`,
  );
  if (kept.length > 0) log?.warn({ file, clients: kept }, 'these clients of the file differ from the store’s clients of the same id: the store’s are kept');
}

/** A file's JSON, undefined when there is no file; a file that is not JSON is an error that names it. */
function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${file}: not valid JSON; fix or remove it (its content is imported into the store once)`);
  }
}

function secretField(json: unknown, file: string): string {
  const secret = (json as { secret?: unknown } | null)?.secret;
  if (typeof secret !== 'string' || secret === '') throw new Error(`${file}: must be {"secret": "<base64url>"}`);
  return secret;
}
