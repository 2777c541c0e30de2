import type { ApiKeyEntity } from '@liaison/persistence';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CorrelationId } from '../http/correlation-id.decorator';
import { uuidParam } from '../http/params';
import { ApiProblem } from '../http/problem';
import { SecretResponseFields } from '../idempotency/idempotency.interceptor';
import { ApiKeysService } from './api-keys.service';
import { CurrentCaller, Roles, type Caller } from './caller';
import { ApiKeyView, CreateApiKeyDto, IssuedApiKeyView } from './create-api-key.dto';

function view(record: ApiKeyEntity): ApiKeyView {
  return {
    id: record.id,
    hint: record.hint,
    agency: record.agencyCode,
    role: record.role,
    label: record.label,
    createdAt: record.createdAt.toISOString(),
    createdBy: record.createdBy ? { type: record.createdByType ?? 'api-key', id: record.createdBy } : null,
    lastUsedAt: record.lastUsedAt?.toISOString() ?? null,
    revokedAt: record.revokedAt?.toISOString() ?? null,
  };
}

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
@Roles('admin')
export class ApiKeyController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @SecretResponseFields('key')
  @ApiCreatedResponse({
    type: IssuedApiKeyView,
    description: 'The new key, returned this once (a replay with the same Idempotency-Key leaves it out)',
  })
  async create(
    @Body() body: CreateApiKeyDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<IssuedApiKeyView> {
    const { key, record } = await this.keys.issue(body, caller, correlationId);
    return { ...view(record), key };
  }

  @Get()
  @ApiQuery({ name: 'agency', required: false })
  @ApiOkResponse({ type: [ApiKeyView] })
  async list(@Query('agency') agency?: string): Promise<ApiKeyView[]> {
    if (agency !== undefined && typeof agency !== 'string')
      throw ApiProblem.field('agency', 'must be a single agency code');
    return (await this.keys.list(agency)).map(view);
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(
    @Param('id', uuidParam('id')) id: string,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
  ): Promise<void> {
    await this.keys.revoke(id, caller, correlationId);
  }
}
