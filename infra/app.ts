// The CDK app (`npx cdk deploy`): every option comes from context, see README "Deploy to AWS".
import { App } from 'aws-cdk-lib';
import { addCheckupStacks, readCheckupContext } from './checkup-app.js';

const app = new App();
addCheckupStacks(app, readCheckupContext(app));
app.synth();
