import type { StoredCode, StoredRefreshToken } from '../../domain/sign-in/model.js';
import type { SignInRepository } from '../../domain/sign-in/repository.js';
import type { AuthorizationCodeRow, RefreshTokenRow } from '../schema-sign-in.js';
import type { Scope } from '../scope.js';

/** Authorization codes (`authorization_codes`) and refresh tokens (`refresh_tokens`) over SQL (migration 0020). */
export class SqlSignIn implements SignInRepository {
  constructor(private readonly scope: Scope) {}

  insertCode(code: StoredCode, sweepBefore: string): Promise<void> {
    return this.scope.write(async (db) => {
      await db.deleteFrom('authorization_codes').where('expires_at', '<', sweepBefore).execute();
      await db
        .insertInto('authorization_codes')
        .values({
          code_hash: code.codeHash,
          client_id: code.clientId,
          redirect_uri: code.redirectUri,
          code_challenge: code.codeChallenge,
          subject: code.subject,
          scopes: code.scopes.join(' '),
          nonce: code.nonce,
          auth_time: code.authTime,
          expires_at: code.expiresAt,
          used_at: code.usedAt,
        })
        .execute();
    });
  }

  async findCode(codeHash: string): Promise<StoredCode | undefined> {
    const row = await this.scope.db.selectFrom('authorization_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
    return row && codeOf(row);
  }

  markCodeUsed(codeHash: string, at: string): Promise<boolean> {
    return this.scope.writeOne(async (db) => {
      const result = await db
        .updateTable('authorization_codes')
        .set({ used_at: at })
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    });
  }

  insertRefreshToken(token: StoredRefreshToken, sweepBefore: string): Promise<void> {
    return this.scope.write(async (db) => {
      await db.deleteFrom('refresh_tokens').where('expires_at', '<', sweepBefore).execute();
      await db
        .insertInto('refresh_tokens')
        .values({
          token_hash: token.tokenHash,
          family_id: token.familyId,
          client_id: token.clientId,
          subject: token.subject,
          scopes: token.scopes.join(' '),
          auth_time: token.authTime,
          created_at: token.createdAt,
          expires_at: token.expiresAt,
          session_expires_at: token.sessionExpiresAt,
          used_at: token.usedAt,
        })
        .execute();
    });
  }

  async findRefreshToken(tokenHash: string): Promise<StoredRefreshToken | undefined> {
    const row = await this.scope.db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && refreshTokenOf(row);
  }

  markRefreshTokenUsed(tokenHash: string, at: string): Promise<boolean> {
    return this.scope.writeOne(async (db) => {
      const result = await db
        .updateTable('refresh_tokens')
        .set({ used_at: at })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    });
  }

  revokeFamily(familyId: string): Promise<number> {
    return this.scope.writeOne(async (db) =>
      Number((await db.deleteFrom('refresh_tokens').where('family_id', '=', familyId).executeTakeFirst()).numDeletedRows),
    );
  }

  revokeSubject(subject: string): Promise<number> {
    return this.scope.writeOne(async (db) => Number((await db.deleteFrom('refresh_tokens').where('subject', '=', subject).executeTakeFirst()).numDeletedRows));
  }
}

const scopesOf = (text: string): string[] => text.split(' ').filter(Boolean);

function codeOf(row: AuthorizationCodeRow): StoredCode {
  return {
    codeHash: row.code_hash,
    clientId: row.client_id,
    redirectUri: row.redirect_uri,
    codeChallenge: row.code_challenge,
    subject: row.subject,
    scopes: scopesOf(row.scopes),
    nonce: row.nonce,
    authTime: row.auth_time,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
  };
}

function refreshTokenOf(row: RefreshTokenRow): StoredRefreshToken {
  return {
    tokenHash: row.token_hash,
    familyId: row.family_id,
    clientId: row.client_id,
    subject: row.subject,
    scopes: scopesOf(row.scopes),
    authTime: row.auth_time,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    sessionExpiresAt: row.session_expires_at,
    usedAt: row.used_at,
  };
}
