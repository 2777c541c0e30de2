import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { cursorOf, page } from '../application/pagination';
import { uuidParam } from '../http/params';
import { ApiProblem } from '../http/problem';
import { ErrorCode } from '../application/application-error';
import { NotificationReadRepository, type NotificationRow } from './notification-read.repository';
import { MarkedReadView, NotificationPageView, type NotificationView } from './notification.views';
import { NotificationQueryDto } from './notification.dto';

export function notificationView(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    event: row.event,
    agency: row.agency,
    createdAt: row.created_at.toISOString(),
    data: row.payload,
    readAt: row.read_at?.toISOString() ?? null,
  };
}

/** Your agency's notifications: new matches, match decisions, messages received, deadlines near and past. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('v1/notifications')
@Roles('officer', 'supervisor')
export class NotificationController {
  constructor(private readonly notifications: NotificationReadRepository) {}

  @Get()
  @ApiOkResponse({ type: NotificationPageView })
  async list(@Query() query: NotificationQueryDto, @CurrentCaller() caller: Caller): Promise<NotificationPageView> {
    const limit = query.limit ?? 25;
    const [rows, unread] = await Promise.all([
      this.notifications.list(caller.agency, { unread: query.unread, event: query.event }, limit + 1, cursorOf(query)),
      this.notifications.unreadCount(caller.agency),
    ]);
    return { ...page(rows, limit, notificationView, (row) => ({ at: row.created_at, id: row.id })), unread };
  }

  /** Marks every notification of your agency read. */
  @Post('read')
  @HttpCode(200)
  @ApiOkResponse({ type: MarkedReadView })
  async markAllRead(@CurrentCaller() caller: Caller): Promise<MarkedReadView> {
    return { marked: await this.notifications.markAllRead(caller.agency, new Date()) };
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiNoContentResponse()
  async markRead(
    @Param('id', uuidParam('id', 'a notification id (UUID)')) id: string,
    @CurrentCaller() caller: Caller,
  ): Promise<void> {
    if (!(await this.notifications.markRead(id, caller.agency, new Date())))
      throw new ApiProblem(ErrorCode.NotFound, `no notification ${id} for ${caller.agency}`);
  }
}
