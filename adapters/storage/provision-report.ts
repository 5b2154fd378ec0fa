/** What `checkup provision` did, in lines for the user. */
export interface ProvisionReport {
  /** Each thing created or found already in place (`created the bucket x`, `... already exists`). */
  done: string[];
  /** What could not be set up or checked, and why (an emulator lacking an API, a setting left alone). */
  notices: string[];
  /** What the user should do next. */
  next: string[];
}
