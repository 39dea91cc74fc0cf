/**
 * The one TypeORM DataSource definition, shared by the application and the migration CLI.
 * The schema is owned by `migrations/`; `synchronize` stays off.
 */
import 'reflect-metadata';
import { DataSource, type Logger } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';

/**
 * A failed query is logged with its error and its SQL, never its parameters: they carry citizens' names, phones
 * and calls, which the logs must not hold (docs/security.md, V7.1.1).
 */
export const queryErrorLogger: Logger = {
  logQuery: () => undefined,
  logQueryError: (error, query) =>
    console.error(`query failed: ${error instanceof Error ? error.message : String(error)} — ${query.replace(/\s+/g, ' ').slice(0, 300)}`),
  logQuerySlow: () => undefined,
  logSchemaBuild: () => undefined,
  logMigration: (message) => console.log(message),
  log: (level, message) => {
    if (level === 'warn') console.warn(message);
  },
};

export function createDataSource(url: string, poolSize = 20): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: ['error', 'warn', 'migration'],
    logger: queryErrorLogger,
    extra: { max: poolSize, application_name: 'hotline' },
  });
}
