import { AGENCY_CODE_PATTERN, AUDIT_ACTIONS, type ChainedAuditEntry } from '@liaison/domain';
import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CorrelationId } from '../http/correlation-id.decorator';
import { ExportAuditUseCase } from './export-audit.usecase';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ApiProduces } from '@nestjs/swagger';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { ListQueryDto } from '../http/list-query.dto';
import { cursorOf, page } from '../application/pagination';
import { AuditReadRepository } from './audit-read.repository';
import { VerifyAuditUseCase } from './verify-audit.usecase';

export class AuditQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ example: 'GB-NCA' })
  @IsOptional()
  @Matches(AGENCY_CODE_PATTERN, { message: 'agency must be an agency code such as GB-NCA' })
  agency?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS, { message: `action must be one of ${AUDIT_ACTIONS.join(', ')}` })
  action?: string;

  @ApiPropertyOptional({ description: "Who acted: a person's id or an API key's id (entries of that principal only)" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  principalId?: string;

  @ApiPropertyOptional({ description: 'A message id, case reference, SHA-256, key id...' })
  @IsOptional()
  @IsString()
  objectId?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30T23:59:59Z' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'to must be an ISO 8601 date-time' })
  to?: string;
}

export class AuditExportQueryDto {
  @ApiProperty({ example: '2026-11-01T00:00:00Z' })
  @IsDateString({ strict: true }, { message: 'from must be an ISO 8601 date-time' })
  from!: string;

  @ApiProperty({ example: '2026-11-30T23:59:59Z' })
  @IsDateString({ strict: true }, { message: 'to must be an ISO 8601 date-time' })
  to!: string;
}

export class AuditExportKeyView {
  @ApiProperty({ example: 'Ed25519' }) algorithm!: string;
  @ApiProperty({ description: 'The public key exports are signed with (SPKI, PEM): keep it to verify them' })
  publicKey!: string;
}

export class AuditEntryView {
  @ApiProperty() seq!: number;
  @ApiProperty() at!: string;
  @ApiProperty({ example: 'message.opened' }) action!: string;
  @ApiProperty({ example: 'GB-NCA' }) agency!: string;
  @ApiProperty({ description: 'Id of the API key used (never the key); empty when a person or the system acted' })
  keyId!: string;
  @ApiProperty({
    enum: ['person', 'api-key', 'system', ''],
    description: 'Who acted; empty in entries recorded before people could sign in',
  })
  principalType!: string;
  @ApiProperty({ description: "The person's id (never their name), the API key's id or the system part" })
  principalId!: string;
  @ApiProperty({ example: 'message' }) objectType!: string;
  @ApiProperty() objectId!: string;
  @ApiProperty() detail!: string;
  @ApiProperty({ description: 'SHA-256 sealing this entry to the previous one' }) hash!: string;
}

export class AuditPageView {
  @ApiProperty({ type: [AuditEntryView] }) items!: AuditEntryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ChainBreakView {
  @ApiProperty() seq!: number;
  @ApiProperty({
    enum: ['changed', 'resealed', 'truncated', 'link-mismatch', 'sequence-gap'],
    description:
      'changed: an entry no longer matches its seal; resealed: the chain was sealed again without the key (rewritten with database rights); truncated: the log ends before the newest checkpoint; link-mismatch, sequence-gap: entries removed, inserted or reordered',
  })
  reason!: string;
  @ApiProperty() detail!: string;
}

export class CheckpointView {
  @ApiProperty({ description: 'The newest entry the checkpoint records' }) seq!: number;
  @ApiProperty() at!: string;
  @ApiProperty({
    type: [String],
    enum: ['file', 'topic'],
    description: 'Where the checkpoint was found, outside PostgreSQL',
  })
  sources!: string[];
}

export class AuditVerificationView {
  @ApiProperty({ description: 'Entries verified before the first break (all of them when valid)' }) entries!: number;
  @ApiProperty() valid!: boolean;
  @ApiProperty({ type: ChainBreakView, nullable: true }) firstBroken!: ChainBreakView | null;
  @ApiProperty({
    type: CheckpointView,
    nullable: true,
    description: 'The newest checkpoint the log was held to; null before the first',
  })
  checkpoint!: CheckpointView | null;
  @ApiProperty() verifiedAt!: string;
}

function view(entry: ChainedAuditEntry): AuditEntryView {
  const { seq, action, agency, keyId, principalType, principalId, objectType, objectId, detail, hash } = entry;
  return {
    seq,
    at: entry.at.toISOString(),
    action,
    agency,
    keyId,
    principalType,
    principalId,
    objectType,
    objectId,
    detail,
    hash,
  };
}

/**
 * The audit log: who did what to which object and when, never content. For admins, and read-only for a
 * data-protection officer, who sees their own agency's entries only.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
@Roles('admin', 'data-protection-officer')
export class AuditController {
  constructor(
    private readonly audit: AuditReadRepository,
    private readonly verifyAudit: VerifyAuditUseCase,
    private readonly exporter: ExportAuditUseCase,
  ) {}

  /**
   * The whole log of a period as signed JSON lines: a header (the period, and the entry it follows), one line per
   * entry, and an Ed25519 signature over the SHA-256 of every line before it. The README's verifier checks it
   * without Liaison's code. Audited.
   */
  @Get('export')
  @Roles('admin')
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'Signed JSON lines', schema: { type: 'string' } })
  async export(
    @Query() query: AuditExportQueryDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const [from, to] = [new Date(query.from), new Date(query.to)];
    const stream = await this.exporter.export(from, to, caller, correlationId);
    void reply.header('cache-control', 'no-store');
    return new StreamableFile(stream, {
      type: 'application/x-ndjson',
      disposition: `attachment; filename="liaison-audit-${query.from.slice(0, 10)}-${query.to.slice(0, 10)}.jsonl"`,
    });
  }

  /** The public key audit exports are signed with. */
  @Get('export-key')
  @Roles('admin')
  @ApiOkResponse({ type: AuditExportKeyView })
  exportKey(): AuditExportKeyView {
    return { algorithm: 'Ed25519', publicKey: this.exporter.publicKeyPem };
  }

  @Get()
  @ApiOkResponse({ type: AuditPageView })
  async list(@Query() query: AuditQueryDto, @CurrentCaller() caller: Caller): Promise<AuditPageView> {
    const limit = query.limit ?? 50;
    const after = cursorOf(query);
    const rows = await this.audit.list(
      {
        agency: caller.role === 'data-protection-officer' ? caller.agency : query.agency,
        principalId: query.principalId,
        action: query.action,
        objectId: query.objectId,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      },
      limit + 1,
      after ? Number(after.id) : null,
    );
    return page(rows, limit, view, (row) => ({ at: row.at, id: String(row.seq) }));
  }

  /** Checks every entry's seal from the first and the log's end against the newest checkpoint; names the first break. */
  @Get('verify')
  @Roles('admin')
  @ApiOkResponse({ type: AuditVerificationView })
  async verify(): Promise<AuditVerificationView> {
    const { entries, valid, firstBroken, checkpoint, verifiedAt } = await this.verifyAudit.execute();
    return {
      entries,
      valid,
      firstBroken,
      checkpoint: checkpoint
        ? { seq: checkpoint.checkpoint.seq, at: checkpoint.checkpoint.at.toISOString(), sources: checkpoint.sources }
        : null,
      verifiedAt: verifiedAt.toISOString(),
    };
  }
}
