import type { StorageConfig } from '../../core/config/storage-schemas.js';
import type { ProvisionReport } from './provision-report.js';

export type { ProvisionReport } from './provision-report.js';

/**
 * Creates what the configured storage needs, idempotently: the fs folder, the S3 bucket (private,
 * SSL only), the DynamoDB table (checkup's keys, TTL on `expires`) or checkup's SQL table
 * `checks` with its index and our documents table; for a GitHub repository or Application
 * Insights, which it cannot create, it checks they can be written. Existing things are reported
 * and left as they are. The AWS parts and the SQL drivers load only when asked for.
 */
export async function provisionStorage(config: StorageConfig): Promise<ProvisionReport> {
  switch (config.type) {
    case 'fs':
      return (await import('./provision-fs.js')).provisionFs(config);
    case 's3':
      return (await import('./provision-s3.js')).provisionS3(config);
    case 'dynamodb':
      return (await import('./provision-dynamodb.js')).provisionDynamodb(config);
    case 'github':
      return (await import('./provision-github.js')).provisionGithub(config);
    case 'appinsights':
      return (await import('./provision-appinsights.js')).provisionAppinsights(config);
    case 'sqlite3':
    case 'postgres':
    case 'mysql':
    case 'sql':
      return (await import('./provision-sql.js')).provisionSql(config);
  }
}
