let databases = 0;

/**
 * Creates a fresh, empty database for one test through an admin session from `connectAdmin`
 * (ended after); returns its name, unique in this test run.
 */
export async function createTestDatabase(
  connectAdmin: () => Promise<{ query(sql: string): Promise<unknown>; end(): Promise<void> }>,
): Promise<string> {
  databases += 1;
  const name = `checkup_test_${process.pid}_${databases}`;
  const admin = await connectAdmin();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return name;
}
