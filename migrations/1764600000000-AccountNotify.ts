import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Every server keeps the signed-in accounts in memory (server/plugins/accounts.ts). A change to an account
 * (logout bumping its token version, deactivation, new roles), made by any server or by hand in SQL, is
 * announced on channel `hotline_accounts` with the account's id, so each server forgets it at once.
 */
export class AccountNotify1764600000000 implements MigrationInterface {
  name = 'AccountNotify1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION notify_account_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('hotline_accounts', COALESCE(NEW.id, OLD.id)::text);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER users_notify_change AFTER UPDATE OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION notify_account_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER users_notify_change ON users`);
    await q.query(`DROP FUNCTION notify_account_change()`);
  }
}
