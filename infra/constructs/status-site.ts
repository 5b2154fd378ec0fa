import { existsSync } from 'node:fs';
import path from 'node:path';
import { Annotations, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { CACHE_RULES } from '../../core/cache-rules.js';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';
import { findStackSingleton, wildcardResourceFinding } from '../nag-findings.js';
import { PROJECT_ROOT } from './checkup-function.js';

export interface StatusSiteProps {
  /** The results bucket: `/data/*` is served from its summaries and runs, nothing else of it. */
  readonly resultsBucket: s3.IBucket;
  /**
   * The built status page (index.html and its assets).
   * @default '<repository>/dist/statuspage' (made by `npm run build`)
   */
  readonly pageDir?: string;
  /** A custom domain for the page; needs `certificate`. @default - the CloudFront domain */
  readonly domainName?: string;
  /** An ACM certificate in us-east-1 covering `domainName`. */
  readonly certificate?: acm.ICertificate;
  /** How long browsers and CloudFront may keep the summary. @default Duration.seconds(30) */
  readonly summaryTtl?: Duration;
  /**
   * Origins the page may send requests to besides its own (the CSP's connect-src): the subscribe
   * form's function URL. @default - its own origin only
   */
  readonly connectSources?: readonly string[];
}

/**
 * The status page: a private site bucket and the results bucket behind one CloudFront
 * distribution with Origin Access Control, security headers on every response, and `/data/*`
 * mapped onto the results bucket's summaries (short cache) and run files (cached for a year:
 * a run file never changes).
 */
export class StatusSite extends Construct {
  readonly siteBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** The page's address. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: StatusSiteProps) {
    super(scope, id);
    if (props.domainName && !props.certificate) {
      throw new Error('domainName needs a certificate (an ACM certificate in us-east-1)');
    }
    this.siteBucket = new s3.Bucket(this, 'SiteBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // The page is rebuilt from the repository on every deploy: nothing here needs keeping.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.siteBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Holds only the static page, written by the deployment; CloudFront is its only reader.',
    });

    const headers = securityHeaders(this, props.connectSources ?? []);

    const dataPaths = new cloudfront.Function(this, 'DataPaths', {
      comment: 'Maps /data/* onto the results bucket; anything else under /data is 404',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(dataPathsFunctionCode()),
    });
    const dataFunctions = [{ function: dataPaths, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }];

    // The results origin gets the OAC but no policy from CDK: the grant below is narrower
    // (summaries and runs only) than the whole-bucket read CDK would add.
    const resultsOac = new cloudfront.S3OriginAccessControl(this, 'ResultsAccess', {
      description: 'Checkup: CloudFront reads summaries and runs',
    });
    const resultsOrigin = origins.S3BucketOrigin.withBucketDefaults(props.resultsBucket, {
      originAccessControlId: resultsOac.originAccessControlId,
    });

    const summaryTtl = props.summaryTtl ?? Duration.seconds(CACHE_RULES.summarySeconds);
    // Exactly summaryTtl, whatever the object says: with a minimum of 0, CloudFront would obey a
    // `no-cache` written by an older version and send every page view on to S3. The storage
    // writes the summary with the same `max-age=30` (CACHE_RULES.summary) for browsers.
    const summaryCache = new cloudfront.CachePolicy(this, 'SummaryCache', {
      comment: 'Checkup summaries: fresh within a check interval',
      defaultTtl: summaryTtl,
      minTtl: summaryTtl,
      maxTtl: summaryTtl,
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const runCache = new cloudfront.CachePolicy(this, 'RunCache', {
      comment: 'Checkup run files: immutable',
      defaultTtl: Duration.seconds(CACHE_RULES.runSeconds),
      minTtl: Duration.days(1),
      maxTtl: Duration.seconds(CACHE_RULES.runSeconds),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const dataBehaviour = (cachePolicy: cloudfront.ICachePolicy): cloudfront.BehaviorOptions => ({
      origin: resultsOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy,
      responseHeadersPolicy: headers,
      functionAssociations: dataFunctions,
      compress: true,
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Checkup status page',
      defaultRootObject: 'index.html',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      ...(props.domainName && props.certificate
        ? {
            domainNames: [props.domainName],
            certificate: props.certificate,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.siteBucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      additionalBehaviors: {
        '/data/runs/*': dataBehaviour(runCache),
        '/data/*': dataBehaviour(summaryCache),
      },
    });
    const distribution = this.distribution;
    grantDistributionRead(props.resultsBucket, distribution);
    acknowledgeDistribution(distribution, Boolean(props.certificate));

    this.url = props.domainName
      ? `https://${props.domainName}/`
      : `https://${distribution.distributionDomainName}/`;
    this.deployPage(props.pageDir ?? path.join(PROJECT_ROOT, 'dist', 'statuspage'));
  }

  /** Uploads the built page; without one, a page that says how to build it, and a warning. */
  private deployPage(pageDir: string): void {
    const built = existsSync(path.join(pageDir, 'index.html'));
    if (!built) {
      Annotations.of(this).addWarningV2(
        'checkup:page-not-built',
        `No built status page in ${pageDir}: run "npm run build" and deploy again. A placeholder page is deployed.`,
      );
    }
    const deployment = new s3deploy.BucketDeployment(this, 'Page', {
      sources: [
        built ? s3deploy.Source.asset(pageDir) : s3deploy.Source.data('index.html', PLACEHOLDER_PAGE),
      ],
      destinationBucket: this.siteBucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
      retainOnDelete: false,
    });
    const provider = findStackSingleton(this, 'Custom::CDKBucketDeployment');
    if (!provider) return;
    const stack = Stack.of(this);
    const why =
      "CDK's BucketDeployment provider runs only at deploy time: it copies the page from the CDK asset bucket into the site bucket and invalidates the distribution.";
    Validations.of(provider).acknowledge(
      { id: 'AwsSolutions-L1', reason: `${why} Its runtime is chosen by aws-cdk-lib.` },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: `${why} The basic execution policy lets it write its own logs.`,
      },
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${why} CDK grants it read on the asset and read-write on the site bucket only.`,
      })),
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `${why} cloudfront:CreateInvalidation and GetInvalidation have no narrower resource in CDK's grant.`,
      },
      {
        id: wildcardResourceFinding(provider, this.siteBucket.arnForObjects('*')),
        reason: `${why} It replaces the whole page, so it writes any key of the site bucket.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${concrete(stack.account, 'AWS::AccountId')}-${concrete(stack.region, 'AWS::Region')}/*]`,
        reason: `${why} It reads the page asset from the CDK bootstrap bucket.`,
      },
    );
    void deployment;
  }
}

/** A stack's account or region as cdk-nag prints it: the value, or the pseudo parameter. */
function concrete(value: string, pseudo: string): string {
  return Token.isUnresolved(value) ? `<${pseudo}>` : value;
}

const PLACEHOLDER_PAGE =
  '<!doctype html><meta charset="utf-8"><title>Checkup</title><p>The status page was not built when this stack was deployed. Run <code>npm run build</code> and deploy again.</p>\n';

/**
 * CloudFront Function (cloudfront-js-2.0) that maps the page's data URLs onto bucket keys:
 * `/data/<name>.json` -> `<summaryPrefix><name>.json` (also `overview/<block>.json`,
 * `history/<block>.json` and `recent/<block>-<slot>.json`, the page documents; never the
 * writers' `state/` documents), `/data/runs/<ns>-check.json` ->
 * `<runPrefix><ns>-check.json`, `/data/feed.atom` -> the feed key, `/data/badge/<name>.svg` -> `<badgePrefix><name>.svg` (the name
 * stays percent-encoded: S3 decodes it into the endpoint's name). Anything else is 404, so no other key of the bucket (such as
 * the last valid config) can ever be fetched through the page.
 */
export function dataPathsFunctionCode(): string {
  const summary = JSON.stringify(`/${RESULTS_LAYOUT.summaryPrefix}`);
  const runs = JSON.stringify(`/${RESULTS_LAYOUT.runPrefix}`);
  const badges = JSON.stringify(`/${RESULTS_LAYOUT.badgePrefix}`);
  return `function handler(event) {
  var request = event.request;
  var run = /^\\/data\\/runs\\/(\\d{1,25}-check\\.json)$/.exec(request.uri);
  if (run) { request.uri = ${runs} + run[1]; return request; }
  if (request.uri === '/data/feed.atom') { request.uri = ${JSON.stringify(`/${RESULTS_LAYOUT.feedKey}`)}; return request; }
  var badge = /^\\/data\\/badge\\/([^\\/]{1,600}\\.svg)$/.exec(request.uri);
  if (badge) { request.uri = ${badges} + badge[1]; return request; }
  var history = /^\\/data\\/((?:overview\\/\\d{1,6}|history\\/\\d{1,6}|recent\\/\\d{1,6}-\\d{1,2})\\.json)$/.exec(request.uri);
  if (history) { request.uri = ${summary} + history[1]; return request; }
  var summary = /^\\/data\\/([A-Za-z0-9_-]{1,100}\\.json)$/.exec(request.uri);
  if (summary) { request.uri = ${summary} + summary[1]; return request; }
  return { statusCode: 404, statusDescription: 'Not Found' };
}
`;
}

/** The security headers every response of the page and its data carries (a strict CSP: the page is all 'self'). */
function securityHeaders(
  scope: Construct,
  connectSources: readonly string[],
): cloudfront.ResponseHeadersPolicy {
  const connect = ["'self'", ...connectSources].join(' ');
  return new cloudfront.ResponseHeadersPolicy(scope, 'SecurityHeaders', {
    comment: 'Checkup status page: security headers',
    securityHeadersBehavior: {
      contentSecurityPolicy: {
        contentSecurityPolicy: `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ${connect}; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(730),
        includeSubdomains: true,
        override: true,
      },
    },
  });
}

/**
 * Lets `distribution` (its OAC, and no other distribution) read the results bucket's summaries and
 * run files, and tell a missing one (404) from a denied one.
 */
function grantDistributionRead(bucket: s3.IBucket, distribution: cloudfront.Distribution): void {
  // Only this distribution, signing with the OAC, may read: the bucket policy's condition.
  const fromThisDistribution = {
    StringEquals: {
      'AWS:SourceArn': Stack.of(distribution).formatArn({
        service: 'cloudfront',
        region: '',
        resource: 'distribution',
        resourceName: distribution.distributionId,
      }),
    },
  };
  const cloudFront = new iam.ServicePrincipal('cloudfront.amazonaws.com');
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudFrontReadsSummariesAndRuns',
      principals: [cloudFront],
      actions: ['s3:GetObject'],
      resources: [
        bucket.arnForObjects(`${RESULTS_LAYOUT.summaryPrefix}*`),
        bucket.arnForObjects(`${RESULTS_LAYOUT.runPrefix}*`),
      ],
      conditions: fromThisDistribution,
    }),
  );
  // Without ListBucket, S3 answers a missing key with 403 (it will not say what does not
  // exist), and the page would show "answered 403" instead of "No status data yet". The grant
  // lets S3 answer 404 and lists nothing in practice: the viewer-request function turns every
  // /data URL into one object key or a 404 of its own, and the cache policies forward no query
  // string, so no list request can reach the bucket. It carries no s3:prefix condition, since
  // S3's missing-key check is not a list request and has no prefix to match. A distribution-
  // wide 403->404 error mapping would instead hide real denials (a broken grant) as "no data".
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudFrontTellsMissingData',
      principals: [cloudFront],
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: fromThisDistribution,
    }),
  );
}

function acknowledgeDistribution(distribution: cloudfront.Distribution, customCertificate: boolean): void {
  Validations.of(distribution).acknowledge(
    {
      id: 'AwsSolutions-CFR1',
      reason: 'A public status page is meant to be readable from anywhere; no geo restriction.',
    },
    {
      id: 'AwsSolutions-CFR2',
      reason:
        'Static, read-only content behind CloudFront caching; a WAF web ACL would cost more than the rest of Checkup. Attach one through the distribution if needed.',
    },
    {
      id: 'AwsSolutions-CFR3',
      reason:
        'Access logs of a public status page hold visitor IPs and add cost; CloudFront metrics cover the traffic. Enable them on the distribution if needed.',
    },
  );
  if (!customCertificate) {
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'Without a custom domain the default *.cloudfront.net certificate is used, whose minimum TLS version CloudFront fixes; with domainName and certificate, TLS 1.2 (2021) is the minimum.',
    });
  }
}
