import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { addCheckupStacks, readCheckupContext } from '../../infra/checkup-app.js';
import { type DeployedFunction, deployedFunction } from './deployed-function.js';
import { makeTempDir } from './temp-dir.js';
import { type TemplateJson, TemplateResolver } from './template-resolver.js';

/** The account and region every deployed-function test deploys into. */
export const DEPLOYED_REGION = 'eu-west-1';
export const DEPLOYED_ACCOUNT = '123456789012';

export interface SynthesizedAppOptions {
  /** The app's context, as `cdk deploy -c key=value` gives it (a page folder is added). */
  context: Record<string, string>;
  /** Physical names the deployment gives: [resource type, part of its logical id, name]. */
  names: ReadonlyArray<readonly [type: string, part: string, name: string]>;
  /**
   * Whether synth runs the validations, cdk-nag's AwsSolutions pack included (a finding throws);
   * the fan-out harness, synthesizing for every test file, leaves them to the other tests.
   */
  validate: boolean;
}

export interface SynthesizedApp {
  assembly: CloudAssembly;
  /** The home stack's template (`Checkup`). */
  template: TemplateJson;
  /** The logical id of the one resource of `type` whose id contains `part`. */
  idOf(type: string, part: string): string;
  /** The function whose logical id contains `part`, resolved as deployed (see deployedFunction). */
  functionNamed(part: string): DeployedFunction;
}

/** Synthesizes the app (infra/checkup-app.ts) as `cdk deploy` would, and resolves it to a deployment. */
export async function synthesizeApp(options: SynthesizedAppOptions): Promise<SynthesizedApp> {
  const pageDir = await makeTempDir();
  await writeFile(path.join(pageDir, 'index.html'), '<!doctype html><title>status</title>');
  const app = new App({
    outdir: await makeTempDir(),
    ...(options.validate ? { builtinCloudFormationValidation: false } : {}),
    context: { ...options.context, pageDir },
  });
  addCheckupStacks(app, readCheckupContext(app));
  const assembly = options.validate ? app.synth() : app.synth({ validateOnSynthesis: false });
  const template = assembly.getStackByName('Checkup').template as TemplateJson;
  const idOf = (type: string, part: string) => {
    const id = Object.keys(template.Resources).find(
      (key) => template.Resources[key]?.Type === type && key.includes(part),
    );
    if (!id) throw new Error(`no ${type} with ${part} in its id`);
    return id;
  };
  const resolver = new TemplateResolver(template, {
    region: DEPLOYED_REGION,
    account: DEPLOYED_ACCOUNT,
    names: Object.fromEntries(options.names.map(([type, part, name]) => [idOf(type, part), name])),
  });
  return {
    assembly,
    template,
    idOf,
    functionNamed: (part) => deployedFunction(template, resolver, assembly.directory, part),
  };
}
