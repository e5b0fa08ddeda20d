import type { Kysely } from 'kysely';
import * as initial from './0001-initial.js';

export interface Migration {
  readonly name: string;
  up(db: Kysely<unknown>): Promise<void>;
}

/** Numbered, append-only: a released migration is never edited, a new one is added. */
export const migrations: readonly Migration[] = [{ name: '0001-initial', up: initial.up }];
