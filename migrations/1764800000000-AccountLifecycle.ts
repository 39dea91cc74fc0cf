import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Accounts' lifecycle (ASVS V2.1, V2.5): a password an admin generated on reset works once, to set the user's own
 * (`must_change_password`); `password_changed_at` says when the password last changed.
 */
export class AccountLifecycle1764800000000 implements MigrationInterface {
  name = 'AccountLifecycle1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false, ADD COLUMN password_changed_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN must_change_password, DROP COLUMN password_changed_at`);
  }
}
