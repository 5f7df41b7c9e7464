export { createPrismaClient, type Database, type DatabasePoolOptions } from './client.js';
export { migrate, migrationStatus, readMigrations, MigrationError, MIGRATIONS_DIR, type MigrationStatus } from './migrate.js';
export { startEmbeddedPostgres, embeddedDatabaseUrl, type EmbeddedDatabase, type EmbeddedOptions } from './embedded.js';
export * from './generated/client.js';
