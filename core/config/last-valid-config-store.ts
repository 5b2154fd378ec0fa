/** Where the last config that validated is kept (an object in the results bucket in AWS). */
export interface LastValidConfigStore {
  load(): Promise<string | undefined>;
  save(text: string): Promise<void>;
}
