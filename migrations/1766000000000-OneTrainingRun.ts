import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * One dispatch-model run training at a time, whatever number of servers and workers ask at once: a unique index
 * over the runs in `training`. Runs left training side by side before it (concurrent requests) keep the newest.
 */
export class OneTrainingRun1766000000000 implements MigrationInterface {
  name = 'OneTrainingRun1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE dispatch_models SET status = 'failed', trained_at = now(), error = '同时请求的训练，已由较新的一次代替 / a concurrent run, superseded by a newer one'
       WHERE status = 'training' AND version < (SELECT max(version) FROM dispatch_models WHERE status = 'training')`,
    );
    await q.query(`CREATE UNIQUE INDEX dispatch_models_one_training_idx ON dispatch_models ((true)) WHERE status = 'training'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX dispatch_models_one_training_idx`);
  }
}
