import type { AppinsightsStorageConfig } from '../../core/config/storage-schemas.js';
import { ingestionTarget } from './appinsights-storage.js';
import type { ProvisionReport } from './provision-report.js';

/** Application Insights is created in Azure, not here: says where results will go and how to see them. */
export async function provisionAppinsights(config: AppinsightsStorageConfig): Promise<ProvisionReport> {
  const { url } = ingestionTarget(config);
  return {
    done: [`results are sent as availability telemetry to ${url}`],
    notices: ['an Application Insights resource is created in Azure (portal or az CLI), not by checkup'],
    next: [
      'Send runs with "checkup --store" or "checkup every 1m"; see them in the resource\'s Availability view.',
    ],
  };
}
