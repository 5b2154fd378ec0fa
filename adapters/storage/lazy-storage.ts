import type { Storage } from '../../core/storage.js';

/**
 * A Storage whose implementation is imported on first use, so the AWS SDK is loaded only by the
 * commands that store or read in S3 or DynamoDB, not on every start of `checkup`.
 */
export function lazyStorage(load: () => Promise<Storage>): Storage {
  let loading: Promise<Storage> | undefined;
  const storage = () => {
    if (!loading) loading = load();
    return loading;
  };
  return {
    store: async (results) => (await storage()).store(results),
    list: async (range) => (await storage()).list(range),
    read: async (name) => (await storage()).read(name),
    readSummary: async () => (await storage()).readSummary(),
    history: async (title, range) => (await storage()).history(title, range),
    updateSummary: async (options) => (await storage()).updateSummary(options),
    rebuildSummary: async () => (await storage()).rebuildSummary(),
    summaryVersion: async () => {
      const loaded = await storage();
      return loaded.summaryVersion ? loaded.summaryVersion() : undefined;
    },
    pageDocuments: async () => {
      const loaded = await storage();
      return loaded.pageDocuments ? loaded.pageDocuments() : undefined;
    },
  };
}
