// Runs s3rver in its own process (started with --openssl-legacy-provider, which its listing code
// needs on Node 17+) and reports its port and every S3 event it emits to the parent over IPC.
import S3rver from 's3rver';

const { directory, buckets } = JSON.parse(process.argv[2]);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: buckets.map((name) => ({ name })),
});
server.on('event', (event) => process.send?.({ type: 'event', event }));
const address = await server.run();
process.send?.({ type: 'ready', port: address.port });
process.on('disconnect', () => {
  server.close().finally(() => process.exit(0));
});
