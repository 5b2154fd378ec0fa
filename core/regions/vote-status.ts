import type { Status } from '../result.js';

/** What one region saw of one endpoint at one tick. */
export interface RegionBallot {
  region: string;
  status: Status;
}

/** The status an endpoint gets from its regions' ballots, and why. */
export interface Vote {
  status: Status;
  /** The quorum applied: how many reporting regions must agree that it is down. */
  quorum: number;
  /** Regions that saw it down, and degraded, sorted. */
  downIn: string[];
  degradedIn: string[];
  /** When the regions disagree: "down from ap-southeast-2" (the minority named). */
  notice?: string;
}

/**
 * The quorum among `reporting` regions: `configured` (k of the regions that reported; no more
 * than reported, so the regions left can still call an outage) or, unset, a majority.
 */
export function quorumOf(reporting: number, configured?: number): number {
  const majority = Math.floor(reporting / 2) + 1;
  return Math.max(1, Math.min(configured ?? majority, reporting));
}

/**
 * The voted status of one endpoint at one tick. Only regions that reported vote.
 * - down in at least the quorum: down;
 * - down in fewer regions: degraded, naming them ("down from ap-southeast-2");
 * - otherwise degraded (slow) in at least the quorum: degraded;
 * - otherwise healthy; a minority that saw it degraded is named in the notice.
 * Pure; with one region the vote is that region's verdict.
 */
export function voteStatus(ballots: readonly RegionBallot[], configuredQuorum?: number): Vote {
  const quorum = quorumOf(ballots.length, configuredQuorum);
  const regionsWith = (status: Status) =>
    ballots
      .filter((ballot) => ballot.status === status)
      .map((ballot) => ballot.region)
      .sort();
  const downIn = regionsWith('down');
  const degradedIn = regionsWith('degraded');
  const vote = { quorum, downIn, degradedIn };
  if (downIn.length >= quorum) return { ...vote, status: 'down' };
  if (downIn.length > 0) return { ...vote, status: 'degraded', notice: `down from ${downIn.join(', ')}` };
  if (degradedIn.length >= quorum) return { ...vote, status: 'degraded' };
  if (degradedIn.length > 0)
    return { ...vote, status: 'healthy', notice: `degraded from ${degradedIn.join(', ')}` };
  return { ...vote, status: 'healthy' };
}
