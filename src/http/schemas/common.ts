import { Type, type TSchema } from 'typebox';

export const Link = Type.Object({ href: Type.String() });

export const ErrorDetail = Type.Object({
  code: Type.String(),
  message: Type.String(),
  target: Type.Optional(Type.String()),
});

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'One of a server-defined set of error codes.' }),
      message: Type.String({ description: 'A human-readable representation of the error.' }),
      target: Type.Optional(Type.String({ description: 'The target of the error.' })),
      details: Type.Optional(Type.Array(ErrorDetail)),
    }),
  },
  { description: 'Gives details for an error that occurred while handling the request.' },
);

const ERROR_DESCRIPTIONS: Record<number, string> = {
  401: 'The request lacks valid authentication credentials, or the token lacks the required scope.',
  403: 'The caller is not a member of the iTwin that owns the resource.',
  404: 'The resource does not exist.',
  406: 'The requested media type (Accept) is not supported.',
  408: 'The request did not arrive in time: its headers or body stopped arriving, or took too long. Send it again.',
  409: 'The request conflicts with the state of a resource.',
  413: 'The request body is too large.',
  415: 'The request body is not JSON.',
  422: 'The request is not valid: every problem is listed in details.',
  429: 'Too many requests; retry after the number of seconds in retry-after.',
};

/** Response schemas for the error statuses an operation documents, all in the one error shape. */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const status of statuses) out[status] = Type.Object(ErrorResponse.properties, { description: ERROR_DESCRIPTIONS[status] ?? 'Error' });
  return out;
}

/** Every authenticated platform operation can answer these. */
export const COMMON_ERRORS = [401, 406, 429] as const;
