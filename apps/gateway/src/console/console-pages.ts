import { AgencyRepository } from '@liaison/persistence';
import { Injectable } from '@nestjs/common';
import type { Role } from '@liaison/domain';
import type { FastifyReply } from 'fastify';
import type { PersonCaller } from '../auth/caller';
import { SessionStore } from '../sessions/session.store';
import { ConsoleCountsRepository, type ConsoleCounts } from './console-counts.repository';
import { ROLE_NAMES } from './console-words';

/** A place in the navigation. */
export interface NavigationItem {
  href: string;
  text: string;
  /** The count shown beside it, by name (refreshed by the console's script). */
  count?: keyof ConsoleCounts;
  /** What the count means, for screen readers: "3 not opened". */
  countWords?: string;
}

/** The part of the console a page belongs to: its navigation item is `/console/<section>` (`home`: `/console`). */
export type Section =
  | 'home'
  | 'inbox'
  | 'outbox'
  | 'cases'
  | 'compose'
  | 'matches'
  | 'permissions'
  | 'jits'
  | 'reports'
  | 'people'
  | 'audit'
  | 'api-keys'
  | 'webhooks'
  | 'agencies'
  | 'match-keys'
  | 'reviews'
  | 'subject-access';

const HOME: NavigationItem = { href: '/console', text: 'Home' };
const INBOX: NavigationItem = { href: '/console/inbox', text: 'Inbox', count: 'unread', countWords: 'not opened' };
const OUTBOX: NavigationItem = { href: '/console/outbox', text: 'Sent' };
const CASES: NavigationItem = { href: '/console/cases', text: 'Cases' };
const COMPOSE: NavigationItem = { href: '/console/compose', text: 'New message' };
const PEOPLE: NavigationItem = { href: '/console/people', text: 'People' };
const KEYS: NavigationItem = { href: '/console/api-keys', text: 'API keys' };
const WEBHOOKS: NavigationItem = { href: '/console/webhooks', text: 'Webhooks' };
const AGENCIES: NavigationItem = { href: '/console/agencies', text: 'Agencies' };
const MATCH_KEYS: NavigationItem = { href: '/console/match-keys', text: 'Match keys' };
const AUDIT: NavigationItem = { href: '/console/audit', text: 'Audit trail' };
const REPORTS: NavigationItem = { href: '/console/reports', text: 'Reports' };
const JITS: NavigationItem = { href: '/console/jits', text: 'Teams' };
const MATCHES: NavigationItem = { href: '/console/matches', text: 'Matches' };
const REVIEWS: NavigationItem = { href: '/console/reviews', text: 'Reviews' };
const SUBJECT_ACCESS: NavigationItem = { href: '/console/subject-access', text: 'Subject access' };
const DECISIONS: NavigationItem = {
  href: '/console/matches',
  text: 'Matches',
  count: 'decisions',
  countWords: 'waiting for your decision',
};
const PERMISSIONS: NavigationItem = {
  href: '/console/permissions',
  text: 'Permissions',
  count: 'permissions',
  countWords: 'waiting for your decision',
};

/** The navigation each role sees: only what the role may do. */
const NAVIGATION: Record<Role, NavigationItem[]> = {
  officer: [HOME, INBOX, OUTBOX, CASES, MATCHES, JITS, COMPOSE],
  supervisor: [HOME, INBOX, OUTBOX, CASES, DECISIONS, PERMISSIONS, REVIEWS, JITS, COMPOSE],
  'programme-lead': [HOME, REPORTS],
  admin: [HOME, PEOPLE, KEYS, WEBHOOKS, AGENCIES, MATCH_KEYS, AUDIT],
  'data-protection-officer': [HOME, SUBJECT_ACCESS, AUDIT],
};

/**
 * Seconds until the session ends if left idle from `now` (or reaches its absolute end): what the timeout warning
 * counts down from. A duration, not a time, so the browser's clock need not agree with the gateway's.
 */
export function idleEndsInSeconds(
  session: { lastSeenAt: number; createdAt: number },
  limits: { idleMs: number; absoluteMs: number },
  now: number,
): number {
  const ends = Math.min(session.lastSeenAt + limits.idleMs, session.createdAt + limits.absoluteMs);
  return Math.max(0, Math.floor((ends - now) / 1000));
}

/** How often the console's script refreshes the counts. */
export const COUNTS_EVERY_MS = 15_000;

/**
 * How often the console's script asks for a live list's first page again: with polls shared for up to
 * CONSOLE_SHARED_READS_MS (250 ms), a message stored is on the screen within 1.75 s and the round trip.
 */
export const LIVE_EVERY_MS = 1_500;

/** A page's title and error summary, GOV.UK style: errors first, each linking to its field. */
export interface PageErrors {
  errors?: { href: string; text: string }[];
  /** The message beside each field, by its id; by default the summary's words. */
  errorOf?: Record<string, { text: string }>;
}

/**
 * Renders console pages within the shell: the identity bar (person, agency, role, sign out), the role's
 * navigation with its counts, the session's CSRF token for every form, and when the idle session ends (for the
 * timeout warning).
 */
@Injectable()
export class ConsolePages {
  constructor(
    private readonly counts: ConsoleCountsRepository,
    private readonly agencies: AgencyRepository,
    private readonly sessions: SessionStore,
  ) {}

  navigation(role: Role): NavigationItem[] {
    return NAVIGATION[role];
  }

  /** The shell of a page; `known` counts (a page that read them already) save asking again. */
  async shell(caller: PersonCaller, section: Section, known?: ConsoleCounts) {
    const [counts, agency] = await Promise.all([
      known ?? this.counts.of(caller.agency, caller.role),
      this.agencies.find(caller.agency),
    ]);
    const { session } = caller;
    const limits = this.sessions.limits;
    return {
      person: {
        name: session.name ?? '',
        agency: caller.agency,
        agencyName: agency?.name ?? caller.agency,
        role: ROLE_NAMES[caller.role],
      },
      navigation: NAVIGATION[caller.role].map((item) => ({
        ...item,
        current: item.href === `/console${section === 'home' ? '' : `/${section}`}`,
        value: item.count ? counts[item.count] : undefined,
      })),
      counts,
      csrfToken: session.csrfToken,
      idleEndsInSeconds: idleEndsInSeconds(session, limits, Date.now()),
      countsEvery: COUNTS_EVERY_MS,
      liveEvery: LIVE_EVERY_MS,
    };
  }

  /** Sends a page of the console: the view with the shell around it. */
  async render(
    reply: FastifyReply,
    caller: PersonCaller,
    section: Section,
    view: string,
    data: Record<string, unknown> & PageErrors,
    status = 200,
    counts?: ConsoleCounts,
  ): Promise<FastifyReply> {
    const shell = await this.shell(caller, section, counts);
    // Each field's own message, from the summary's list, unless the page words them otherwise.
    const errorOf =
      data.errorOf ?? Object.fromEntries((data.errors ?? []).map((e) => [e.href.slice(1), { text: e.text }]));
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .view(view, { ...data, errorOf, shell });
  }
}
