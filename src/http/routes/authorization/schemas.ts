import type { FastifySchemaCompiler } from 'fastify';
import { Type } from 'typebox';
import { Link } from '../../schemas/common.js';

export const AuthorizationInformationQuery = Type.Object({
  redirectUrl: Type.Optional(Type.String({ description: 'Absolute http(s) URL the consent page returns the browser to (the name is matched in any case).' })),
});

export const AuthorizationInformationResponse = Type.Object({
  authorizationInformation: Type.Object({
    isUserAuthorized: Type.Boolean({ description: 'Whether the caller has consented to User connections running on their behalf.' }),
    _links: Type.Object({
      authorizationUrl: Type.Object(Link.properties, {
        description: 'The consent page for the caller; valid for 15 minutes; returns to redirectUrl.',
      }),
    }),
  }),
});

export const ConsentQuery = Type.Object({
  ticket: Type.Optional(Type.String({ description: 'The signed ticket of the authorization URL.' })),
});

/** Read by domain/consent/record-consent.ts; test/integration/body-contract.test.ts keeps the two alike. */
export const ConsentForm = Type.Object({
  decision: Type.Union([Type.Literal('approve'), Type.Literal('deny')], { description: 'Matched in any case.' }),
});

/** A small self-contained page (no scripts, no external resources). */
export const HtmlPage = (description: string) => ({ description, content: { 'text/html': { schema: Type.String() } } });

/**
 * These routes check their query and body in the domain, so that every problem is answered in the
 * operation's own codes (a repeated `redirectUrl` is `InvalidValue`, a repeated ticket is refused as
 * a ticket), not in Ajv's words. The schemas above document the operations (OpenAPI) only.
 */
export const domainChecksInput: FastifySchemaCompiler<unknown> = () => () => true;
