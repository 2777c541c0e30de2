import { ROLES } from '@liaison/domain';
import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, Roles, SessionOnly, type PersonCaller } from '../auth/caller';
import { SessionStore } from '../sessions/session.store';
import { ConsoleCountsRepository } from './console-counts.repository';
import { ConsoleLive } from './console-live';
import { ConsolePages, idleEndsInSeconds } from './console-pages';
import { plural } from './console-words';

/** The console's home, and what its script asks in the background. */
@ApiExcludeController()
@Controller('console')
@SessionOnly()
@Roles(...ROLES)
export class ConsoleHomeController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly counts: ConsoleCountsRepository,
    private readonly sessions: SessionStore,
    private readonly live: ConsoleLive,
  ) {}

  /** What waits for the person, with links to it. */
  @Get()
  async home(@CurrentCaller() caller: PersonCaller, @Res() reply: FastifyReply): Promise<void> {
    const counts = await this.counts.of(caller.agency, caller.role);
    const summaries = [];
    if (counts.unread)
      summaries.push({
        href: '/console/inbox?state=delivered',
        text: `${plural(counts.unread, 'message')} not opened`,
      });
    if (counts.overdue)
      summaries.push({
        href: '/console/inbox?overdue=true',
        text: `${plural(counts.overdue, 'request')} past the deadline`,
      });
    if (counts.decisions)
      summaries.push({
        href: '/console/matches?awaitingDecision=true',
        text: `${plural(counts.decisions, 'match')} waiting for your agency's decision`,
      });
    if (counts.permissions)
      summaries.push({
        href: '/console/permissions',
        text: `${plural(counts.permissions, 'permission request')} waiting for your decision`,
      });
    await this.pages.render(reply, caller, 'home', 'home', { title: 'Home', summaries }, 200, counts);
  }

  /**
   * The navigation's counts and when the idle session ends, for the console's script. Asked as a background
   * request (X-Liaison-Background), so it never keeps an idle session alive.
   */
  @Get('counts')
  async current(@CurrentCaller() caller: PersonCaller) {
    const counts = await this.live.counts.read(`${caller.agency}|${caller.role}`, () =>
      this.counts.of(caller.agency, caller.role),
    );
    // A background request does not move the idle timer: it ends when the last foreground request said.
    const { session } = caller;
    const idle = { lastSeenAt: session.lastSeenAt, createdAt: session.createdAt };
    return { counts, session: { idleEndsInSeconds: idleEndsInSeconds(idle, this.sessions.limits, Date.now()) } };
  }

  /** "Stay signed in": a request like any other, so the session's idle time starts again. */
  @Post('stay')
  @HttpCode(200)
  stay(@CurrentCaller() caller: PersonCaller) {
    return { idleEndsInSeconds: idleEndsInSeconds(caller.session, this.sessions.limits, Date.now()) };
  }
}
