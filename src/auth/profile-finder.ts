import type { FastifyBaseLogger } from 'fastify';
import type { AuthConfig } from '../config.js';
import type { Caller } from '../domain/caller.js';
import { builtinAddressOf } from '../domain/users/model.js';
import type { Profile } from '../domain/users/user-sightings.js';
import { UserinfoClient } from './userinfo.js';

/**
 * Where the address of a user whose tokens carry none comes from, so that every user the service
 * knows has one (docs/access-control.md, "Users"): the built-in issuer's own address for the subject
 * (its clients added without `--email`, tokens made for another subject), or an external provider's
 * userinfo endpoint. Null: there is none; undefined: it could not be had now (asked again later).
 */
export type ProfileFinder = (caller: Caller, token: string | undefined) => Promise<Profile | null | undefined>;

export function profileFinder(auth: AuthConfig, log: FastifyBaseLogger, now?: () => number): ProfileFinder {
  if (auth.mode === 'builtin') return async (caller) => ({ email: builtinAddressOf(caller.subject) });
  const userinfo = UserinfoClient.forConfig(auth, log, now);
  if (!userinfo) return async () => null;
  return async (caller, token) => (token === undefined ? null : userinfo.profileOf(token, caller.subject));
}
