import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { ApiError } from '../../../domain/errors.js';

/** The Azure Storage service version whose behaviour upload URLs follow (sent back as x-ms-version). */
export const AZURE_STORAGE_VERSION = '2025-01-05';

/**
 * The headers Azure Blob Storage sends with every answer, which its clients log and some check: a
 * request id, the service version, and whether the content is encrypted at rest (not by twinsync).
 */
export function azureHeaders(reply: FastifyReply, azure: boolean): void {
  if (!azure) return;
  reply.header('x-ms-request-id', randomUUID()).header('x-ms-version', AZURE_STORAGE_VERSION).header('x-ms-request-server-encrypted', 'false');
}

/**
 * An error as Azure Blob Storage answers it: the code in x-ms-error-code and an XML body with Code
 * and Message, which Azure's clients parse into their RestError (a JSON body would reach their users
 * as "unexpected response").
 */
export function sendAzureError(reply: FastifyReply, error: ApiError): FastifyReply {
  azureHeaders(reply, true);
  const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>`;
  return reply.status(error.status).header('x-ms-error-code', error.code).type('application/xml').send(xml);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}
