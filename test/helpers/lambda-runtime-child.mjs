// A Lambda execution environment in one node process: imports the bundle (argv[2]) once, as the
// runtime does at a cold start, then runs its `handler` for each event the parent sends, warm.
import { pathToFileURL } from 'node:url';

let module;
try {
  module = await import(pathToFileURL(process.argv[2]).href);
} catch (error) {
  process.send({ type: 'init-error', error: { name: error.name, message: error.message } });
  process.exit(1);
}
process.on('message', async ({ id, event, functionName }) => {
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `req-${id}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/30/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 50_000,
  };
  try {
    const result = await module.handler(event, context);
    process.send({ type: 'result', id, result });
  } catch (error) {
    process.send({
      type: 'result',
      id,
      error: { name: error?.name, message: error?.message ?? String(error) },
    });
  }
});
process.send({ type: 'ready' });
