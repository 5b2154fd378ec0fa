import { createHash } from 'node:crypto';
import type http from 'node:http';
import { type RunningServer, startHttpServer } from './servers.js';

/** One call the stand-in answered. */
export interface GitHubCall {
  method: string;
  /** The path after the base path, without the query. */
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown> | undefined;
  authorization: string | undefined;
  status: number;
}

export interface GitHubStandInOptions {
  token: string;
  owner?: string;
  repo?: string;
  /** The branches that exist; the first is the default. Default ['main']. */
  branches?: string[];
  /** Where the API is mounted: '' as api.github.com, '/api/v3' as GitHub Enterprise Server. */
  basePath?: string;
  /** Files larger than this come without content (encoding "none"), as past GitHub's 1 MB. */
  inlineLimit?: number;
  /** The token may read but not push (permissions.push false, and writes answer 403). */
  readOnly?: boolean;
}

export interface GitHubStandIn extends RunningServer {
  /** The API base URL to configure (`api_url`). */
  apiUrl: string;
  calls: GitHubCall[];
  /** The files of a branch, path to text. */
  files(branch?: string): Map<string, string>;
  /** Commits a file as another tool would (the index or a run checkup wrote). */
  put(path: string, text: string, branch?: string): void;
  /** The next `count` calls matching `method` answer `status` with `body` instead. */
  failNext(method: string, status: number, body: string, count?: number): void;
  /** The next call matching `method` is served, but its answer is replaced by `status` and `body`. */
  failAfter(method: string, status: number, body: string): void;
  /** Commit messages and committers of every write, in order. */
  commits: Array<{ message: string; committer: unknown; branch: string; path: string }>;
}

/**
 * A loopback stand-in for GitHub's REST contents API (real HTTP on 127.0.0.1): files with git
 * blob shas per branch, GET/PUT/DELETE `/repos/o/r/contents/PATH`, `/git/blobs/SHA`,
 * `/repos/o/r` and `/repos/o/r/branches/B`. Like GitHub it answers a create of an existing file
 * 422 ("sha" wasn't supplied), an update or delete naming a stale sha 409, a wrong token 401,
 * and records every call.
 */
export async function startGitHubStandIn(options: GitHubStandInOptions): Promise<GitHubStandIn> {
  const owner = options.owner ?? 'octo';
  const repo = options.repo ?? 'status';
  const branches = options.branches ?? ['main'];
  const base = options.basePath ?? '';
  const inlineLimit = options.inlineLimit ?? 1024 * 1024;
  const trees = new Map(branches.map((branch) => [branch, new Map<string, { text: string; sha: string }>()]));
  const blobs = new Map<string, string>();
  const calls: GitHubCall[] = [];
  const commits: GitHubStandIn['commits'] = [];
  const failures: Array<{ method: string; status: number; body: string; count: number }> = [];
  const lostAnswers: Array<{ method: string; status: number; body: string }> = [];

  const blobSha = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    const sha = createHash('sha1')
      .update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]))
      .digest('hex');
    blobs.set(sha, text);
    return sha;
  };
  const put = (path: string, text: string, branch = branches[0] as string) => {
    trees.get(branch)?.set(path, { text, sha: blobSha(text) });
  };

  const server = await startHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://stand-in');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | undefined;
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      } catch {
        body = undefined;
      }
      const call: GitHubCall = {
        method: request.method ?? 'GET',
        path: url.pathname.startsWith(base) ? url.pathname.slice(base.length) : url.pathname,
        query: Object.fromEntries(url.searchParams),
        body,
        authorization: request.headers.authorization,
        status: 0,
      };
      calls.push(call);
      const lost = lostAnswers.findIndex((l) => l.method === call.method);
      const answer = (status: number, json: unknown) => {
        if (lost >= 0) {
          const [replacement] = lostAnswers.splice(lost, 1);
          if (replacement) [status, json] = [replacement.status, replacement.body];
        }
        call.status = status;
        response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        response.end(typeof json === 'string' ? json : JSON.stringify(json));
      };
      const failure = failures.find((f) => f.method === call.method && f.count > 0);
      if (failure) {
        failure.count -= 1;
        return answer(failure.status, failure.body);
      }
      serve(call, request, answer);
    });
  });

  function serve(
    call: GitHubCall,
    request: http.IncomingMessage,
    answer: (status: number, json: unknown) => void,
  ) {
    if (!call.path.startsWith('/') || !new URL(request.url ?? '/', 'http://x').pathname.startsWith(base))
      return answer(404, { message: 'Not Found' });
    if (call.authorization !== `Bearer ${options.token}`) return answer(401, { message: 'Bad credentials' });
    if (request.headers['x-github-api-version'] !== '2022-11-28' || !request.headers['user-agent'])
      return answer(400, { message: 'missing API version or user agent' });
    const repoPath = `/repos/${owner}/${repo}`;
    if (!call.path.startsWith(repoPath)) return answer(404, { message: 'Not Found' });
    const rest = call.path.slice(repoPath.length);
    if (rest === '' && call.method === 'GET')
      return answer(200, {
        full_name: `${owner}/${repo}`,
        default_branch: branches[0],
        permissions: { admin: false, push: !options.readOnly, pull: true },
      });
    const branchMatch = /^\/branches\/(.+)$/.exec(rest);
    if (branchMatch && call.method === 'GET') {
      const name = decodeURIComponent(branchMatch[1] as string);
      return trees.has(name) ? answer(200, { name }) : answer(404, { message: 'Branch not found' });
    }
    const blobMatch = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(rest);
    if (blobMatch && call.method === 'GET') {
      const blob = blobs.get(blobMatch[1] as string);
      return blob === undefined
        ? answer(404, { message: 'Not Found' })
        : answer(200, { sha: blobMatch[1], encoding: 'base64', content: wrap64(blob) });
    }
    const contentsMatch = /^\/contents\/(.+)$/.exec(rest);
    if (!contentsMatch) return answer(404, { message: 'Not Found' });
    const path = (contentsMatch[1] as string).split('/').map(decodeURIComponent).join('/');
    const branch = String(
      call.method === 'GET' ? (call.query.ref ?? branches[0]) : (call.body?.branch ?? branches[0]),
    );
    const tree = trees.get(branch);
    if (!tree) return answer(404, { message: `No commit found for the ref ${branch}` });
    const file = tree.get(path);
    if (call.method === 'GET') {
      if (!file) return answer(404, { message: 'Not Found' });
      const large = Buffer.byteLength(file.text) > inlineLimit;
      return answer(200, {
        type: 'file',
        name: path.split('/').at(-1),
        path,
        sha: file.sha,
        size: Buffer.byteLength(file.text),
        encoding: large ? 'none' : 'base64',
        content: large ? '' : wrap64(file.text),
      });
    }
    if (options.readOnly) return answer(403, { message: 'Resource not accessible by personal access token' });
    const message = call.body?.message;
    const sha = call.body?.sha;
    if (typeof message !== 'string')
      return answer(422, { message: 'Invalid request.\n\n"message" wasn\'t supplied.' });
    if (call.method === 'PUT') {
      const content = call.body?.content;
      if (typeof content !== 'string')
        return answer(422, { message: 'Invalid request.\n\n"content" wasn\'t supplied.' });
      if (file && sha === undefined)
        return answer(422, { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' });
      if (sha !== undefined && sha !== file?.sha)
        return answer(409, { message: `${path} does not match ${String(sha)}` });
      const textContent = Buffer.from(content, 'base64').toString('utf8');
      put(path, textContent, branch);
      commits.push({ message, committer: call.body?.committer, branch, path });
      return answer(file ? 200 : 201, { content: { path, sha: tree.get(path)?.sha }, commit: { message } });
    }
    if (call.method === 'DELETE') {
      if (!file) return answer(404, { message: 'Not Found' });
      if (sha !== file.sha) return answer(409, { message: `${path} does not match ${String(sha)}` });
      tree.delete(path);
      commits.push({ message, committer: call.body?.committer, branch, path });
      return answer(200, { content: null, commit: { message } });
    }
    return answer(405, { message: 'Method Not Allowed' });
  }

  return {
    ...server,
    apiUrl: `${server.url}${base}`,
    calls,
    commits,
    files: (branch = branches[0] as string) =>
      new Map([...(trees.get(branch) ?? [])].map(([path, file]) => [path, file.text])),
    put,
    failNext(method, status, body, count = 1) {
      failures.push({ method, status, body, count });
    },
    failAfter(method, status, body) {
      lostAnswers.push({ method, status, body });
    },
  };
}

/** Base64 in lines of 60, as GitHub sends file contents. */
function wrap64(text: string): string {
  return (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,60}/g)
      ?.join('\n') ?? ''
  );
}
