/**
 * The one TypeORM DataSource definition, shared by the application and the migration CLI.
 * The schema is owned by `migrations/`; `synchronize` stays off.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';

export function createDataSource(url: string, poolSize = 20): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: ['error'],
    extra: { max: poolSize, application_name: 'hotline' },
  });
}
