import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generatePassword, PasswordChecksBusy, passwordProblem, Passwords } from '../../src/domain/accounts/password.js';

describe('password hashes (scrypt)', () => {
  it('a hash holds its parameters and a salt of its own, verifies the password only, and never holds it', async () => {
    const passwords = new Passwords();
    const one = await passwords.hash('correct horse');
    const two = await passwords.hash('correct horse');
    assert.match(one, /^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.notEqual(one, two, 'a salt per hash');
    assert.ok(!one.includes('correct'));
    assert.equal(await passwords.verify('correct horse', one), true);
    assert.equal(await passwords.verify('correct horsf', one), false);
    assert.equal(await passwords.verify('correct horse', 'not a hash'), false);
    assert.equal(await passwords.verifyNothing('correct horse'), false);
    assert.equal(await passwords.verifyNothing('correct horse'), false);
  });

  it('a password typed in another Unicode normalization is the same password', async () => {
    const passwords = new Passwords();
    const composed = await passwords.hash('caf\u00e9 au lait');
    assert.equal(await passwords.verify('cafe\u0301 au lait', composed), true);
  });

  it('at most `concurrent` checks run and `waiting` wait; one more is refused at once, and the queue drains', async () => {
    const passwords = new Passwords(1, 1);
    const first = passwords.hash('password one');
    const second = passwords.hash('password two');
    await assert.rejects(passwords.hash('password three'), PasswordChecksBusy);
    await Promise.all([first, second]);
    // Every slot was given back.
    await Promise.all([passwords.hash('password four'), passwords.hash('password five')]);
    await assert.rejects(new Passwords(0, 0).hash('x'.repeat(8)), PasswordChecksBusy);
  });

  it('passwords have 8 to 1024 characters; generated ones 24', () => {
    assert.match(passwordProblem('short') ?? '', /at least 8/);
    assert.equal(passwordProblem('12345678'), undefined);
    assert.match(passwordProblem('x'.repeat(1025)) ?? '', /at most 1024/);
    assert.match(generatePassword(), /^[A-Za-z0-9_-]{24}$/);
  });
});
