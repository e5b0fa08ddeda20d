import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { BuiltinIssuer } from '../auth/builtin-issuer.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { Config } from '../config.js';
import type { BlobStore } from '../domain/blob-store.js';
import type { Store } from '../domain/store.js';
import type { CheckpointMaker } from '../domain/versions/checkpoint-maker.js';
import type { ModelExporter } from '../domain/model-view/model-exporter.js';
import type { Operation } from './operations.js';
import type { ConsentTickets } from '../domain/consent/consent-ticket.js';
import type { UploadSigner } from '../domain/storage/upload-signing.js';
import type { Passwords } from '../domain/accounts/password.js';
import type { SignInForms } from '../domain/sign-in/sign-in-forms.js';

/** What route files are given: the config and the collaborators buildApp received. */
export interface AppContext {
  readonly config: Config;
  readonly store: Store;
  /** Where every byte of content lives (a local folder or an object store). */
  readonly blobs: BlobStore;
  readonly verifier: TokenVerifier;
  /** Only with the built-in issuer. */
  readonly issuer?: BuiltinIssuer;
  /** Called after a run is queued, so an in-process worker starts it without waiting for its poll. */
  readonly runQueued?: () => void;
  /** Writes baseline checkpoints (iTwin.js); without it they are `notGenerated`. */
  readonly checkpointMaker?: CheckpointMaker;
  /** Exports versions' models for the model view (iTwin.js); without it they are 501 ModelExportUnavailable. */
  readonly modelExporter?: ModelExporter;
  /** Signs and checks upload and checkpoint download URLs, with the deployment's secret. */
  readonly signer: UploadSigner;
  /** Issues and checks consent tickets, with the deployment's secret. */
  readonly consentTickets: ConsentTickets;
  /** Signs and checks the sign-in form's tokens, with the deployment's secret. */
  readonly signInForms: SignInForms;
  /** Checks passwords of the built-in issuer's accounts, a few at a time. */
  readonly passwords: Passwords;
  /** The time of sign-in's codes, refresh tokens and forms, in ms (tests move it). */
  readonly now: () => number;
}

export type App = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

/** The parts of a route that come from the operations table. */
export function fromTable(operation: Operation) {
  return { method: operation.method, url: operation.url, config: { operation } } as const;
}
