import { voteStatus } from '../regions/vote-status.js';
import { votes } from '../regions/vote-ticks.js';
import { type Result, type Status, statusOf } from '../result.js';
import { compareDigits, compareNames } from '../run-order.js';
import { computeStats } from '../stats.js';
import { parseRunFileName } from '../storage.js';
import { addValue, type Histogram, percentile, percentiles } from './histogram.js';
import type { EndpointStatus, RegionStatus } from './page-document-types.js';
import {
  bucketDown,
  type DaySummary,
  type EndpointSummary,
  RECENT_BUCKET_MS,
  type RecentBucket,
  type StatusSummary,
  SUMMARY_DAYS,
  type SummaryWriterState,
  type TickBallot,
} from './summary-types.js';
import { dayStart, utcDay } from './uptime-figures.js';

/** One stored run: its file name and its results. */
export interface NamedRun {
  name: string;
  results: readonly Result[];
}

export interface ApplyOptions {
  /** The `updated` time to record (unix ms); default: the newest run's time, so output is deterministic. */
  nowMs?: number;
  /**
   * How far behind the newest applied run a run may arrive and still be applied (ns). Runs older
   * than that count as applied already: that is what bounds the bookkeeping. Default 15 minutes.
   */
  lateWindowNs?: number;
}

/** Default of `ApplyOptions.lateWindowNs`. */
export const LATE_WINDOW_NS = 15 * 60 * 1e9;
/** Timeline length and recent-run list length the contract promises. */
export const TIMELINE_MAX = 200;
export const RECENT_RUNS_MAX = 100;
const DAY_MS = 86_400_000;
const SEVERITY: Record<Status, number> = { healthy: 0, degraded: 1, down: 2 };

/** A summary with nothing applied. */
export function emptySummary(): StatusSummary {
  return {
    version: 1,
    updated: 0,
    lastRun: 0,
    endpoints: [],
    timeline: [],
    recentRuns: [],
    writer: { appliedSince: '0', applied: [], open: {} },
  };
}

/** Whether `summary` has already applied (or no longer accepts) the run named `name`. */
export function hasApplied(summary: StatusSummary | undefined, name: string): boolean {
  const run = parseRunFileName(name);
  if (!run) throw new Error(`not a run file name: ${name}`);
  const state = summary?.writer;
  if (!state) return false;
  return compareDigits(run.digits, state.appliedSince) < 0 || state.applied.includes(name);
}

/**
 * Applies one run to a summary and returns the new summary (the input is not changed). Applying
 * a run that was applied already returns the summary unchanged, so redelivery counts once.
 * Counts and percentiles do not depend on the order runs arrive in; the current status and the
 * status timeline follow the newest result per endpoint.
 */
export function applyRunToSummary(
  summary: StatusSummary | undefined,
  run: NamedRun,
  options: ApplyOptions = {},
): StatusSummary {
  if (summary && hasApplied(summary, run.name)) return summary;
  const next = structuredClone(summary ?? emptySummary());
  applyRunToSummaryInPlace(next, run, options);
  return next;
}

/**
 * `applyRunToSummary` that changes `summary` itself (no copy: rebuilding from millions of runs must not
 * copy the document per run). Returns false when the run had been applied already.
 */
export function applyRunToSummaryInPlace(
  summary: StatusSummary,
  run: NamedRun,
  options: ApplyOptions = {},
): boolean {
  const parsed = parseRunFileName(run.name);
  if (!parsed) throw new Error(`not a run file name: ${run.name}`);
  if (hasApplied(summary, run.name)) return false;
  const state: SummaryWriterState = summary.writer ?? { appliedSince: '0', applied: [], open: {} };
  summary.writer = state;

  const results = [...run.results].sort((a, b) => a.timestamp - b.timestamp);
  const byTitle = new Map(summary.endpoints.map((endpoint) => [endpoint.title, endpoint]));
  for (let i = 0; i < results.length; i += 1) applyResult(summary, state, results[i] as Result, byTitle);

  state.applied = [...state.applied, run.name].sort(compareNames);
  summary.recentRuns = [...new Set([run.name, ...summary.recentRuns])].sort(compareNames).reverse();
  summary.recentRuns.length = Math.min(summary.recentRuns.length, RECENT_RUNS_MAX);
  summary.lastRun = Math.max(summary.lastRun, Math.floor(parsed.timestamp / 1e6));
  summary.updated = options.nowMs ?? Math.max(summary.updated, summary.lastRun);
  slideWindow(summary, state, options.lateWindowNs ?? LATE_WINDOW_NS);
  return true;
}

/** Builds the summary of every run from scratch, as `checkup summaries rebuild` does. */
export function rebuildSummary(runs: Iterable<NamedRun>, options: ApplyOptions = {}): StatusSummary {
  const sorted = [...runs].sort((a, b) => compareNames(a.name, b.name));
  const summary = emptySummary();
  for (const run of sorted) applyRunToSummaryInPlace(summary, run, options);
  return summary;
}

function applyResult(
  summary: StatusSummary,
  state: SummaryWriterState,
  result: Result,
  byTitle: Map<string, EndpointSummary>,
): void {
  const t = Math.floor(result.timestamp / 1e6);
  const status = statusOf(result);
  const rttMs = result.times.length > 0 ? computeStats(result.times).median / 1e6 : undefined;
  let endpoint = byTitle.get(result.title);
  if (!endpoint) {
    // A regional result's status is its tick's, once voted: the endpoint starts at its tick.
    const start = votes(result) ? result.tick : t;
    endpoint = {
      title: result.title,
      endpoint: result.endpoint,
      status: result.probeOffline ? 'unknown' : status,
      since: start,
      lastCheck: start,
      days: [],
      recent: [],
    };
    summary.endpoints.push(endpoint);
    byTitle.set(endpoint.title, endpoint);
  }
  if (result.message)
    summary.timeline.push({ t, title: result.title, kind: 'message', text: result.message });
  // A probe found offline says nothing of the endpoint: shown as unknown, never counted as down.
  // With several regions, only that region is unknown: it does not vote, the others decide.
  if (result.probeOffline) {
    if (result.region !== undefined && result.tick !== undefined) {
      const known = endpoint.regions?.find((region) => region.name === result.region);
      if (!known || t >= known.lastCheck)
        setRegion(endpoint, { name: result.region, status: 'unknown', lastCheck: t });
      // No longer waited for: the regions that did report may complete the tick.
      const ballot = state.ballots?.[result.title];
      if (ballot && !ballot.decided) decideWhenComplete(summary, endpoint, ballot);
    } else if (t >= endpoint.lastCheck) {
      if (endpoint.status !== 'unknown') endpoint.since = t;
      setCurrent(endpoint, result, 'unknown', t);
      endpoint.reason = result.notice?.split('; ')[0] ?? 'probe offline';
    }
    return;
  }
  // Inside a maintenance window the latency says nothing of the service, as the status does not:
  // the day's percentiles and the bucket's median (the chart) leave it out, as uptime does.
  if (!result.maintenance) recordLatency(state, endpoint, t, rttMs);
  if (votes(result)) {
    applyRegionalResult(summary, state, endpoint, result, t, rttMs);
    return;
  }
  if (result.region)
    setRegion(endpoint, { name: result.region, status, rttMs: roundMs(rttMs), lastCheck: t });
  recordStatus(summary, endpoint, result, status, t);
}

/**
 * A regional result votes in its endpoint's ballot for its tick. A result of a newer tick first
 * decides the open ballot (the regions missing did not report); a ballot is decided as soon as
 * every region expected (each that reported for the tick decided last) has reported. A result
 * for a tick already decided only updates its region's view.
 */
function applyRegionalResult(
  summary: StatusSummary,
  state: SummaryWriterState,
  endpoint: EndpointSummary,
  result: Result & { region: string; tick: number },
  t: number,
  rttMs: number | undefined,
): void {
  const status = statusOf(result);
  const known = endpoint.regions?.find((region) => region.name === result.region);
  if (!known || t >= known.lastCheck)
    setRegion(endpoint, { name: result.region, status, rttMs: roundMs(rttMs), lastCheck: t });
  state.ballots ??= {};
  let ballot = state.ballots[result.title];
  if (ballot && result.tick < ballot.tick) return;
  if (ballot && result.tick > ballot.tick) {
    if (!ballot.decided) decideBallot(summary, endpoint, ballot);
    ballot = undefined;
  }
  if (!ballot) {
    ballot = { tick: result.tick, votes: {}, ...(result.quorum ? { quorum: result.quorum } : {}) };
    state.ballots[result.title] = ballot;
  }
  if (ballot.decided) return;
  ballot.votes[result.region] = { status, t };
  ballot.last = result;
  decideWhenComplete(summary, endpoint, ballot);
}

/** Decides the ballot once every region expected (each not unknown) has voted in it. */
function decideWhenComplete(summary: StatusSummary, endpoint: EndpointSummary, ballot: TickBallot): void {
  const expected = (endpoint.regions ?? []).filter((region) => region.status !== 'unknown');
  if (Object.keys(ballot.votes).length > 0 && expected.every((region) => region.name in ballot.votes))
    decideBallot(summary, endpoint, ballot);
}

/** Applies a ballot's vote as the endpoint's status at its tick; the regions missing are unknown. */
function decideBallot(summary: StatusSummary, endpoint: EndpointSummary, ballot: TickBallot): void {
  const ballots = Object.entries(ballot.votes).map(([region, vote]) => ({ region, status: vote.status }));
  const vote = voteStatus(ballots, ballot.quorum);
  for (const region of endpoint.regions ?? [])
    if (!(region.name in ballot.votes) && region.lastCheck < ballot.tick) region.status = 'unknown';
  const {
    region: _region,
    notice,
    ...last
  } = ballot.last ?? { title: endpoint.title, endpoint: endpoint.endpoint, timestamp: 0, times: [] };
  const notices = [vote.notice, notice].filter(Boolean);
  recordStatus(
    summary,
    endpoint,
    { ...last, ...(notices.length > 0 ? { notice: notices.join('; ') } : {}) },
    vote.status,
    ballot.tick,
  );
  ballot.decided = true;
  delete ballot.last;
}

/** The result's latency in the histograms of its day and its recent bucket. */
function recordLatency(
  state: SummaryWriterState,
  endpoint: EndpointSummary,
  t: number,
  rttMs: number | undefined,
): void {
  if (rttMs === undefined) return;
  const open = state.open[endpoint.title] ?? {};
  state.open[endpoint.title] = open;
  const day = dayOf(endpoint, t);
  const dayKey = `d:${day.day}`;
  const dayHistogram = addValue(open[dayKey] ?? {}, rttMs);
  open[dayKey] = dayHistogram;
  setPercentiles(day, dayHistogram);
  const bucket = bucketOf(endpoint, t);
  const bucketKey = `b:${bucket.t}`;
  const bucketHistogram = addValue(open[bucketKey] ?? {}, rttMs);
  open[bucketKey] = bucketHistogram;
  bucket.p50 = percentile(bucketHistogram, 0.5);
}

/** Counts a status at `t` (a result's time, or a voted tick's): the current status, its day and bucket. */
function recordStatus(
  summary: StatusSummary,
  endpoint: EndpointSummary,
  result: Result,
  status: Status,
  t: number,
): void {
  if (t >= endpoint.lastCheck) {
    if (status !== endpoint.status) {
      // Leaving unknown (a probe offline) is no change of the endpoint's own: the timeline says
      // what changed between verdicts.
      if (endpoint.status !== 'unknown')
        summary.timeline.push({
          t,
          title: endpoint.title,
          kind: 'status',
          status,
          previous: endpoint.status,
        });
      endpoint.since = t;
    }
    setCurrent(endpoint, result, status, t);
    delete endpoint.reason;
  }
  const day = dayOf(endpoint, t);
  const bucket = bucketOf(endpoint, t);
  // Inside a maintenance window a result is counted apart, so uptime leaves it out.
  if (result.maintenance) {
    day.maintenance = (day.maintenance ?? 0) + 1;
    bucket.maintenance = (bucket.maintenance ?? 0) + 1;
    return;
  }
  day.checks += 1;
  day[status] += 1;
  // bucketDown also fixes the count of a bucket from before down results were counted.
  const down = bucketDown(bucket) + (status === 'down' ? 1 : 0);
  if (down > 0) bucket.down = down;
  bucket.checks += 1;
  if (SEVERITY[status] > SEVERITY[bucket.worst]) bucket.worst = status;
}

function dayOf(endpoint: EndpointSummary, t: number): DaySummary {
  const day = utcDay(t);
  let daySummary: DaySummary | undefined;
  // Indexed, not find(): this runs cold once or twice per result, where a closure per call is garbage.
  for (let i = 0; i < endpoint.days.length && !daySummary; i += 1)
    if ((endpoint.days[i] as DaySummary).day === day) daySummary = endpoint.days[i];
  if (!daySummary) {
    daySummary = { day, checks: 0, healthy: 0, degraded: 0, down: 0, p50: 0, p95: 0, p99: 0 };
    endpoint.days.push(daySummary);
    endpoint.days.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  }
  return daySummary;
}

function bucketOf(endpoint: EndpointSummary, t: number): RecentBucket {
  const start = Math.floor(t / RECENT_BUCKET_MS) * RECENT_BUCKET_MS;
  let bucket: RecentBucket | undefined;
  for (let i = 0; i < endpoint.recent.length && !bucket; i += 1)
    if ((endpoint.recent[i] as RecentBucket).t === start) bucket = endpoint.recent[i];
  if (!bucket) {
    bucket = { t: start, checks: 0, p50: 0, worst: 'healthy' };
    endpoint.recent.push(bucket);
    endpoint.recent.sort((a, b) => a.t - b.t);
  }
  return bucket;
}

/** Sets one region's view; names left from summaries written before votes are dropped. */
function setRegion(endpoint: EndpointSummary, view: RegionStatus): void {
  const others = (endpoint.regions ?? []).filter(
    (region) => typeof region === 'object' && region !== null && region.name !== view.name,
  );
  if (view.rttMs === undefined) delete view.rttMs;
  endpoint.regions = [...others, view].sort((a, b) => a.name.localeCompare(b.name));
}

function roundMs(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.round(ms * 10) / 10;
}

function setCurrent(endpoint: EndpointSummary, result: Result, status: EndpointStatus, t: number): void {
  endpoint.endpoint = result.endpoint;
  endpoint.status = status;
  endpoint.lastCheck = t;
  const error = result.times.find((attempt) => attempt.error)?.error;
  setOptional(endpoint, 'thresholdMs', result.threshold ? result.threshold / 1e6 : undefined);
  setOptional(endpoint, 'error', error);
  setOptional(endpoint, 'notice', result.notice);
  setOptional(endpoint, 'message', result.message);
  setOptional(endpoint, 'cert', result.cert);
  setOptional(endpoint, 'group', result.group);
  setOptional(endpoint, 'maintenance', result.maintenance);
}

function setOptional<
  K extends 'thresholdMs' | 'error' | 'notice' | 'message' | 'cert' | 'group' | 'maintenance',
>(endpoint: EndpointSummary, key: K, value: EndpointSummary[K] | undefined): void {
  if (value === undefined || value === '') delete endpoint[key];
  else endpoint[key] = value;
}

function setPercentiles(day: DaySummary, histogram: Histogram): void {
  [day.p50, day.p95, day.p99] = percentiles(histogram, [0.5, 0.95, 0.99]) as [number, number, number];
}

/**
 * Moves the late window up to the newest applied run: forgets applied names and histograms that
 * no run inside the window can touch, and trims the history to its promised lengths.
 */
function slideWindow(summary: StatusSummary, state: SummaryWriterState, lateWindowNs: number): void {
  const newest = state.applied[state.applied.length - 1];
  const newestDigits = newest ? (parseRunFileName(newest)?.digits ?? '0') : '0';
  const floor = BigInt(newestDigits) - BigInt(Math.round(lateWindowNs));
  const since = floor > 0n ? floor.toString() : '0';
  if (compareDigits(since, state.appliedSince) > 0) state.appliedSince = since;
  state.applied = state.applied.filter(
    (name) => compareDigits(parseRunFileName(name)?.digits ?? '0', state.appliedSince) >= 0,
  );

  const sinceMs = Number(BigInt(state.appliedSince) / 1_000_000n);
  // for-in, not Object.entries: no array of a thousand pairs per run.
  for (const title in state.open) {
    const histograms = state.open[title] as Record<string, Record<string, number>>;
    let kept = false;
    for (const key in histograms) {
      if (periodEnd(key) <= sinceMs) delete histograms[key];
      else kept = true;
    }
    if (!kept) delete state.open[title];
  }

  const lastRun = summary.lastRun;
  const firstDay = utcDay(lastRun - (SUMMARY_DAYS - 1) * DAY_MS);
  summary.endpoints = summary.endpoints.filter(
    (endpoint) => endpoint.lastCheck > lastRun - SUMMARY_DAYS * DAY_MS,
  );
  // Trimmed only where something is to go: a new pair of arrays per endpoint per run is garbage.
  const keepsDay = (day: DaySummary) => day.day >= firstDay;
  const keepsBucket = (bucket: RecentBucket) => bucket.t + RECENT_BUCKET_MS > lastRun - DAY_MS;
  for (let i = 0; i < summary.endpoints.length; i += 1) {
    const endpoint = summary.endpoints[i] as EndpointSummary;
    if (!endpoint.days.every(keepsDay)) endpoint.days = endpoint.days.filter(keepsDay);
    if (!endpoint.recent.every(keepsBucket)) endpoint.recent = endpoint.recent.filter(keepsBucket);
  }
  summary.timeline.sort((a, b) => b.t - a.t || a.title.localeCompare(b.title));
  summary.timeline.length = Math.min(summary.timeline.length, TIMELINE_MAX);
}

function periodEnd(key: string): number {
  if (key.startsWith('d:')) return dayStart(key.slice(2)) + DAY_MS;
  return Number(key.slice(2)) + RECENT_BUCKET_MS;
}
