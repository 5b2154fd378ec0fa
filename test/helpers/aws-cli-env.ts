/**
 * The environment of a user with AWS credentials, for a `checkup` process: fixed fake keys, no
 * profile file or instance metadata (only what is given here), and each service's SDK endpoint
 * variable (`AWS_ENDPOINT_URL_SSM` and so on) pointed at a loopback stand-in.
 */
export function awsCliEnv(endpoints: Record<string, string>): Record<string, string> {
  return {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...endpoints,
  };
}
