import { Body, Controller, Headers, HttpCode, Post, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, Roles, type Caller } from '../auth/caller';
import { CorrelationId } from '../http/correlation-id.decorator';
import { subjectAccessPdf } from './subject-access.pdf';
import { SubjectAccessUseCase, type SubjectAccessReport, type SubjectSearch } from './subject-access.usecase';

export class PersonSearchDto {
  @ApiProperty({ type: [String], example: ['Ion', 'Popescu'], description: 'Names as any message may write them' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  names!: string[];

  @ApiProperty({ format: 'date', example: '1988-04-02' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateOfBirth must be a date (YYYY-MM-DD)' })
  dateOfBirth!: string;
}

export class SubjectSearchDto {
  @ApiPropertyOptional({ type: PersonSearchDto, description: 'A person, by name and date of birth' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PersonSearchDto)
  person?: PersonSearchDto;

  @ApiPropertyOptional({
    description: 'Or one identifier, as an entity in a message',
    example: { type: 'phone', number: '+40 721 234 567' },
  })
  @IsOptional()
  @IsObject()
  identifier?: Record<string, unknown>;

  @ApiPropertyOptional({
    example: 'RO',
    description: 'The country that reads a phone number written in national form (0721 234 567)',
  })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be a two-letter country code, such as RO' })
  country?: string;
}

/**
 * Subject access (Directive (EU) 2016/680 Art. 14), for the agency's data-protection officer, read-only: what
 * the agency holds on a person or an identifier across its cases, with who consulted it; as JSON, or as a PDF
 * summary with `Accept: application/pdf`. The search terms travel in the body, never in a URL (URLs are logged).
 * Every search is audited.
 */
@ApiTags('subject-access')
@ApiBearerAuth()
@Controller('v1/subject-access')
@Roles('data-protection-officer')
export class SubjectAccessController {
  constructor(private readonly subjectAccess: SubjectAccessUseCase) {}

  @Post('searches')
  @HttpCode(200)
  @ApiProduces('application/json', 'application/pdf')
  @ApiOkResponse({ description: 'What the agency holds, by case and message, with who consulted each message' })
  async search(
    @Body() body: SubjectSearchDto,
    @CurrentCaller() caller: Caller,
    @CorrelationId() correlationId: string,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SubjectAccessReport | StreamableFile> {
    const report = await this.subjectAccess.search(
      { person: body.person, identifier: body.identifier, country: body.country } as SubjectSearch,
      caller,
      correlationId,
    );
    void reply.header('cache-control', 'no-store');
    if (!accept?.includes('application/pdf')) return report;
    return new StreamableFile(await subjectAccessPdf(report), {
      type: 'application/pdf',
      disposition: `attachment; filename="subject-access-${report.searchId}.pdf"`,
    });
  }
}
