import { caseKeysFromEnvironment, seedMessages } from '@liaison/testing';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { timeOrderedId } from '@liaison/persistence';
import type { DataSource } from 'typeorm';
import { COUNTS_EVERY_MS, LIVE_EVERY_MS } from '../../apps/gateway/src';
import type { Person } from './console-people';

export { LIVE_EVERY_MS };

/** A new message reaches the inbox this often while people watch. */
const ARRIVE_EVERY_MS = 2_000;

export interface LiveFigures {
  polls: number;
  notModified: number;
  failed: number;
  /** Poll server time (Server-Timing: app), sorted, ms. */
  server: number[];
  /** From a message being stored (routed) to each watching person's poll showing it, sorted, ms. */
  visible: number[];
  /** Messages some watcher never saw before the round ended. */
  unseen: number;
  /** CPU the gateway used per second of the round, in seconds (1 = one core busy). */
  gatewayCores: number;
}

/** CPU seconds a process has used so far (user and system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime and stime, in clock ticks of 1/100 s
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * People with the inbox open, each polling its first page as the console's script does (every 1.5 s, naming the
 * version it has, so an unchanged list is a 304), and the counts every 15 s, in a mix of views (most the
 * default, some filtered) that all show a new message. Meanwhile a message is stored for the agency every 2 s,
 * as the router stores one; each poll that first shows it to a person gives how long it took to be visible.
 */
export async function liveRound(
  db: DataSource,
  people: Person[],
  seconds: number,
  gatewayPid: number,
  arrival: { agency: string; sender: string; caseReference: string },
): Promise<LiveFigures> {
  const views = [
    '',
    '',
    '',
    '',
    '?state=delivered',
    '?type=request&overdue=false',
    `?partner=${arrival.sender}`,
    '?sort=received&order=desc',
  ];
  const arrived = new Map<string, number>();
  const figures: LiveFigures = {
    polls: 0,
    notModified: 0,
    failed: 0,
    server: [],
    visible: [],
    unseen: 0,
    gatewayCores: 0,
  };
  const started = performance.now();
  const cpuBefore = cpuSeconds(gatewayPid);
  const until = started + seconds * 1000;
  // Arrivals stop a few polls before the end, so every watcher has had the time to see each one.
  const arrivals = (async () => {
    for (let n = 0; performance.now() < until - 3 * LIVE_EVERY_MS; n += 1) {
      const at = new Date();
      const id = timeOrderedId(at.getTime());
      await seedMessages(
        db,
        caseKeysFromEnvironment(),
        [
          {
            id,
            caseReference: arrival.caseReference,
            sender: arrival.sender,
            to: arrival.agency,
            at,
            type: 'request',
            priority: 'normal',
            handling: 'H0',
            subject: `Arrived while watched ${n}`,
            deadline: new Date(at.getTime() + 7 * 86_400_000),
            state: 'delivered',
          },
        ],
        'Live',
      );
      arrived.set(id, performance.now());
      await sleep(ARRIVE_EVERY_MS);
    }
  })();
  const seenBy = people.map(() => new Set<string>());
  await Promise.all(
    people.map(async (person, i) => {
      const path = `/console/inbox/results${views[i % views.length]}`;
      let version: string | null = null;
      let countsAt = performance.now() + Math.random() * COUNTS_EVERY_MS;
      await sleep(Math.random() * LIVE_EVERY_MS);
      while (performance.now() < until) {
        const begun = performance.now();
        const answer = await person.request('GET', path, undefined, {
          'x-liaison-background': '1',
          ...(version ? { 'if-none-match': version } : {}),
        });
        figures.polls += 1;
        figures.server.push(answer.timing);
        if (answer.status === 304) figures.notModified += 1;
        else if (answer.status !== 200) figures.failed += 1;
        else {
          version = answer.etag;
          const now = performance.now();
          for (const [id, at] of arrived)
            if (!seenBy[i].has(id) && answer.text.includes(id)) {
              seenBy[i].add(id);
              figures.visible.push(now - at);
            }
        }
        if (performance.now() >= countsAt) {
          countsAt += COUNTS_EVERY_MS;
          const counts = await person.request('GET', '/console/counts', undefined, {
            accept: 'application/json',
            'x-liaison-background': '1',
          });
          if (counts.status !== 200) figures.failed += 1;
        }
        await sleep(LIVE_EVERY_MS - (performance.now() - begun));
      }
    }),
  );
  await arrivals;
  figures.gatewayCores = (cpuSeconds(gatewayPid) - cpuBefore) / ((performance.now() - started) / 1000);
  for (const seen of seenBy) figures.unseen += [...arrived.keys()].filter((id) => !seen.has(id)).length;
  figures.server.sort((x, y) => x - y);
  figures.visible.sort((x, y) => x - y);
  return figures;
}
