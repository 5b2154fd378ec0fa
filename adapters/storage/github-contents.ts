/** GitHub's public API; GitHub Enterprise Server answers at `https://HOST/api/v3`. */
export const GITHUB_API_URL = 'https://api.github.com';

/** How long one request may take, and how often a throttled or failing one is tried. */
const REQUEST_TIMEOUT_MS = 30_000;
const ATTEMPTS = 4;
/** The most of an error body kept for the message. */
const MAX_ERROR_BODY = 200;

export interface GitHubContentsOptions {
  token: string;
  owner: string;
  repo: string;
  /** The branch read and written; the repository's default branch when undefined. */
  branch?: string | undefined;
  /** Default https://api.github.com. */
  apiUrl?: string | undefined;
  /** Pause between tries (ms), for tests. */
  backoffMs?: (attempt: number) => number;
}

/** A file as the contents API tells it: its text and its blob sha (what an update must name). */
export interface GitHubFile {
  text: string;
  sha: string;
}

/** One commit's author line, as checkup's `committer_name` / `committer_email` set it. */
export interface Committer {
  name: string;
  email: string;
}

/** A request GitHub refused. `status` tells a stale sha (409) from a missing file (404). */
export class GitHubError extends Error {
  override readonly name = 'GitHubError';
  readonly status: number;

  constructor(message: string, status: number, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
  }
}

/**
 * The few calls of GitHub's REST contents API a storage needs, with Node's fetch: read a file
 * (through the blob API past the contents API's 1 MB), create, update or delete it naming the sha
 * it replaces, and look at the repository and branch. A 5xx, a 429 or a secondary rate limit is
 * tried again after a pause; a 409 (the sha is stale, or the branch moved under a concurrent
 * commit) is returned to the caller, who re-reads. The token is sent in a header only and cut out
 * of every message.
 */
export class GitHubContents {
  readonly owner: string;
  readonly repo: string;
  readonly branch: string | undefined;
  readonly apiUrl: string;
  readonly #token: string;
  readonly #backoffMs: (attempt: number) => number;

  constructor(options: GitHubContentsOptions) {
    this.#token = options.token;
    this.owner = options.owner;
    this.repo = options.repo;
    this.branch = options.branch || undefined;
    this.apiUrl = (options.apiUrl ?? GITHUB_API_URL).replace(/\/+$/, '');
    this.#backoffMs = options.backoffMs ?? ((attempt) => 250 * 2 ** attempt + Math.random() * 250);
  }

  /** The file at `path` on the branch, or undefined when there is none. */
  async readFile(path: string): Promise<GitHubFile | undefined> {
    const ref = this.branch ? `?ref=${encodeURIComponent(this.branch)}` : '';
    const answer = await this.#request('GET', `${this.#contentsPath(path)}${ref}`);
    if (answer.status === 404) return undefined;
    this.#expectOk(answer, 'GET', path);
    const file = answer.json as { type?: string; sha?: string; content?: string; encoding?: string };
    if (file.type !== 'file' || typeof file.sha !== 'string')
      throw new GitHubError(`${this.#where(path)} is not a file`, answer.status);
    // Past 1 MB the contents API leaves the content out (encoding "none"); the blob API has it.
    if (file.encoding !== 'base64') {
      const blob = await this.#request('GET', `${this.#repoPath()}/git/blobs/${file.sha}`);
      if (blob.status === 404) return undefined;
      this.#expectOk(blob, 'GET', path);
      return { text: fromBase64((blob.json as { content?: string }).content ?? ''), sha: file.sha };
    }
    return { text: fromBase64(file.content ?? ''), sha: file.sha };
  }

  /**
   * Creates (`sha` undefined) or replaces the file. Returns the new blob sha, or `conflict` when
   * GitHub refused because the file changed (a stale sha, a file that now exists, a branch moved
   * by another commit): the caller reads again and decides.
   */
  async writeFile(
    path: string,
    text: string,
    sha: string | undefined,
    message: string,
    committer?: Committer,
  ): Promise<string | 'conflict'> {
    const answer = await this.#request('PUT', this.#contentsPath(path), {
      message,
      content: Buffer.from(text, 'utf8').toString('base64'),
      ...(sha ? { sha } : {}),
      ...(this.branch ? { branch: this.branch } : {}),
      ...(committer ? { committer } : {}),
    });
    if (isConflict(answer)) return 'conflict';
    this.#expectOk(answer, 'PUT', path);
    return (answer.json as { content?: { sha?: string } }).content?.sha ?? '';
  }

  /** Deletes the file at `sha`: `gone` when it was not there, `conflict` when it changed. */
  async deleteFile(
    path: string,
    sha: string,
    message: string,
    committer?: Committer,
  ): Promise<'deleted' | 'gone' | 'conflict'> {
    const answer = await this.#request('DELETE', this.#contentsPath(path), {
      message,
      sha,
      ...(this.branch ? { branch: this.branch } : {}),
      ...(committer ? { committer } : {}),
    });
    if (answer.status === 404) return 'gone';
    if (isConflict(answer)) return 'conflict';
    this.#expectOk(answer, 'DELETE', path);
    return 'deleted';
  }

  /** The repository (404: absent or hidden from the token) with what the token may do in it. */
  async repository(): Promise<
    { default_branch?: string; permissions?: { push?: boolean }; status: number } | undefined
  > {
    const answer = await this.#request('GET', this.#repoPath());
    if (answer.status === 404) return undefined;
    this.#expectOk(answer, 'GET', '');
    return { ...(answer.json as object), status: answer.status };
  }

  /** Whether `branch` exists. */
  async hasBranch(branch: string): Promise<boolean> {
    const answer = await this.#request('GET', `${this.#repoPath()}/branches/${encodeURIComponent(branch)}`);
    if (answer.status === 404) return false;
    this.#expectOk(answer, 'GET', `branch ${branch}`);
    return true;
  }

  #repoPath(): string {
    return `/repos/${encodeURIComponent(this.owner)}/${encodeURIComponent(this.repo)}`;
  }

  #contentsPath(path: string): string {
    return `${this.#repoPath()}/contents/${path.split('/').map(encodeURIComponent).join('/')}`;
  }

  #where(path: string): string {
    return `${this.owner}/${this.repo}${this.branch ? `@${this.branch}` : ''}:${path}`;
  }

  #expectOk(answer: Answer, method: string, path: string): void {
    if (answer.status >= 200 && answer.status < 300) return;
    throw new GitHubError(
      `GitHub ${method} ${this.#where(path)}: ${explain(answer)}${this.#redact(detail(answer))}`,
      answer.status,
    );
  }

  /** One call, tried again while GitHub is throttling or failing; 4xx answers are returned. */
  async #request(method: string, path: string, body?: object): Promise<Answer> {
    for (let attempt = 0; ; attempt += 1) {
      let answer: Answer;
      try {
        const response = await fetch(`${this.apiUrl}${path}`, {
          method,
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${this.#token}`,
            'x-github-api-version': '2022-11-28',
            'user-agent': 'checkup',
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
          redirect: 'follow',
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await response.text();
        answer = { status: response.status, text, json: parseJson(text), headers: response.headers };
      } catch (error) {
        if (attempt + 1 >= ATTEMPTS)
          throw new GitHubError(
            `GitHub ${method} ${this.apiUrl}: ${this.#redact(describeFetchError(error))}`,
            0,
            { cause: error },
          );
        await pause(this.#backoffMs(attempt));
        continue;
      }
      if (!isRetryable(answer) || attempt + 1 >= ATTEMPTS) return answer;
      await pause(retryAfterMs(answer) ?? this.#backoffMs(attempt));
    }
  }

  #redact(text: string): string {
    return this.#token ? text.replaceAll(this.#token, '***') : text;
  }
}

interface Answer {
  status: number;
  text: string;
  json: unknown;
  headers: Headers;
}

/**
 * GitHub answers a stale sha with 409; a create whose file now exists (another writer was first),
 * or an update whose sha is no longer the file's, with 422 naming the sha.
 */
function isConflict(answer: Answer): boolean {
  if (answer.status === 409) return true;
  return answer.status === 422 && /\bsha\b/i.test(answer.text);
}

function isRetryable(answer: Answer): boolean {
  if (answer.status === 429 || answer.status >= 500) return true;
  // A secondary rate limit is a 403 that says so.
  return answer.status === 403 && /rate limit/i.test(answer.text);
}

function retryAfterMs(answer: Answer): number | undefined {
  const seconds = Number(answer.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) * 1000 : undefined;
}

function explain(answer: Answer): string {
  if (answer.status === 401) return 'HTTP 401, the access_token was refused';
  if (answer.status === 403) return 'HTTP 403, the access_token may not do this';
  return `HTTP ${answer.status}`;
}

function detail(answer: Answer): string {
  const message = (answer.json as { message?: unknown } | undefined)?.message;
  const text = typeof message === 'string' ? message : answer.text;
  const clean = text.trim().replace(/\s+/g, ' ').slice(0, MAX_ERROR_BODY);
  return clean ? `: ${clean}` : '';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function fromBase64(content: string): string {
  return Buffer.from(content.replace(/\s+/g, ''), 'base64').toString('utf8');
}

function describeFetchError(error: unknown): string {
  if ((error as Error)?.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? `could not connect (${cause.code})` : 'could not connect';
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
