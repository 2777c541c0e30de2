import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A count as a report shows it: a number, or `<5` where a small count in a fine breakdown is hidden. */
const COUNT = { oneOf: [{ type: 'integer' }, { type: 'string', example: '<5' }] };

export class ReportHeaderView {
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'GB',
    description:
      'The country the figures are seen from; null for every country (a European or international programme lead)',
  })
  country!: string | null;
  @ApiProperty({ example: '2017-01-01', description: 'First day of the first period' }) from!: string;
  @ApiProperty({ example: '2017-12-31', description: 'Last day of the last period' }) to!: string;
  @ApiProperty({ enum: ['day', 'month', 'quarter', 'year'] }) granularity!: string;
  @ApiProperty({ type: [String], example: ['partner-country'] }) dimensions!: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { 'message-type': ['request'] },
  })
  filters!: Record<string, string[]>;
  @ApiProperty({ example: 5, description: 'Counts below this are hidden in breakdowns finer than country by year' })
  smallCountThreshold!: number;
  @ApiProperty({ description: 'Whether this breakdown is fine enough for small counts to be hidden' })
  smallCountsHidden!: boolean;
}

export class VolumeRowView {
  @ApiProperty({ example: '2017' }) period!: string;
  @ApiPropertyOptional({ example: 'GB' }) country?: string | null;
  @ApiPropertyOptional({ example: 'RO' }) partnerCountry?: string | null;
  @ApiPropertyOptional({
    example: 'GB-WMP',
    nullable: true,
    description: 'null for imported counts, which carry no agency',
  })
  agency?: string | null;
  @ApiPropertyOptional({ example: 'West Midlands', nullable: true }) region?: string | null;
  @ApiPropertyOptional({ example: 'labour-exploitation' }) crimeArea?: string | null;
  @ApiPropertyOptional({ example: 'request' }) messageType?: string | null;
  @ApiPropertyOptional({ enum: ['outbound', 'inbound', 'domestic'] }) direction?: string | null;
  @ApiProperty({ ...COUNT, description: 'Messages (tracked and imported)' }) messages!: number | string;
  @ApiProperty({ ...COUNT, description: 'The part of messages that was imported' }) imported!: number | string;
  @ApiProperty({ ...COUNT, description: 'The same breakdown in the period before' }) previous!: number | string;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 1.055,
    description:
      'Change against the period before, as a share of it; null when there is nothing to compare or a count is hidden',
  })
  change!: number | null;
  @ApiProperty({ enum: ['tracked', 'imported', 'tracked+imported'] }) source!: string;
}

export class VolumeTotalView {
  @ApiProperty({ example: '2017' }) period!: string;
  @ApiProperty(COUNT) messages!: number | string;
  @ApiProperty(COUNT) imported!: number | string;
  @ApiProperty(COUNT) previous!: number | string;
  @ApiProperty({ type: Number, nullable: true }) change!: number | null;
}

export class VolumeReportView extends ReportHeaderView {
  @ApiProperty({ type: [VolumeRowView] }) rows!: VolumeRowView[];
  @ApiProperty({ type: [VolumeTotalView], description: 'Every breakdown summed per period' })
  totals!: VolumeTotalView[];
}

export class ResponseTimeRowView {
  @ApiProperty({ example: '2017' }) period!: string;
  @ApiPropertyOptional({ example: 'GB' }) country?: string;
  @ApiPropertyOptional({ example: 'RO', description: 'The country that owed the answers' }) partnerCountry?: string;
  @ApiPropertyOptional({ enum: ['urgent-direct', 'urgent', 'normal'] }) priority?: string;
  @ApiProperty({ ...COUNT, description: 'Requests and cross-checks sent in the period, one per recipient agency' })
  requests!: number | string;
  @ApiProperty({ ...COUNT, description: 'Of those, answered so far' }) answered!: number | string;
  @ApiProperty({ ...COUNT, description: 'Of those, answered by the deadline' }) answeredWithinDeadline!:
    number | string;
  @ApiProperty({ type: Number, nullable: true, example: 0.82, description: 'answeredWithinDeadline / requests' })
  shareWithinDeadline!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 30.5, description: 'Median time to answer, hours (within 5%)' })
  medianHours!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 96.2,
    description: '80th percentile time to answer, hours (within 5%)',
  })
  p80Hours!: number | null;
}

export class ResponseTimeReportView extends ReportHeaderView {
  @ApiProperty({ type: [ResponseTimeRowView] }) rows!: ResponseTimeRowView[];
}

export class DeadlineRowView {
  @ApiPropertyOptional({ example: 'GB' }) country?: string;
  @ApiPropertyOptional({ example: 'RO' }) partnerCountry?: string;
  @ApiPropertyOptional() priority?: string;
  @ApiProperty({ ...COUNT, description: 'Unanswered requests whose deadline is not near' }) withinDeadline!:
    number | string;
  @ApiProperty({
    ...COUNT,
    description: 'Unanswered requests past 80% of the time allowed (recipients have been reminded)',
  })
  approaching!: number | string;
  @ApiProperty({ ...COUNT, description: 'Unanswered requests past their deadline' }) overdue!: number | string;
}

export class DeadlineReportView {
  @ApiProperty({ nullable: true, type: String, example: 'GB' }) country!: string | null;
  @ApiProperty({ description: 'The moment the open requests are counted at' }) asOf!: string;
  @ApiProperty({ type: [String] }) dimensions!: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }) filters!: Record<
    string,
    string[]
  >;
  @ApiProperty() smallCountThreshold!: number;
  @ApiProperty() smallCountsHidden!: boolean;
  @ApiProperty({ type: [DeadlineRowView] }) rows!: DeadlineRowView[];
  @ApiProperty({ ...COUNT, description: "Cases of the scope's agencies past their review date now" })
  overdueReviews!: number | string;
}

export class MatchRowView {
  @ApiProperty({ example: '2017' }) period!: string;
  @ApiPropertyOptional() country?: string;
  @ApiPropertyOptional({ description: 'Country holding the other side' }) partnerCountry?: string;
  @ApiPropertyOptional({ example: 'phone' }) entityType?: string;
  @ApiPropertyOptional({ enum: ['strong', 'candidate'] }) strength?: string;
  @ApiProperty({ ...COUNT, description: 'Matches found in the period' }) found!: number | string;
  @ApiProperty({ ...COUNT, description: 'Sides held by the country whose details were released' }) released!:
    number | string;
  @ApiProperty({ ...COUNT, description: 'Sides held by the country whose release was declined' }) declined!:
    number | string;
  @ApiProperty({ ...COUNT, description: 'Candidate matches a person confirmed' }) confirmed!: number | string;
  @ApiProperty({ ...COUNT, description: 'Candidate matches a person dismissed' }) dismissed!: number | string;
  @ApiProperty({ ...COUNT, description: 'Found in the period before' }) previousFound!: number | string;
  @ApiProperty({ type: Number, nullable: true }) change!: number | null;
}

export class MatchReportView extends ReportHeaderView {
  @ApiProperty({ type: [MatchRowView] }) rows!: MatchRowView[];
}

export class JitYearView {
  @ApiProperty({ example: '2017' }) year!: string;
  @ApiProperty({ description: 'Teams created in the year with the country as a party' }) created!: number;
  @ApiProperty({ description: 'Operational meetings held in the year that the country took part in' })
  meetings!: number;
  @ApiProperty({ description: 'Of those, meetings the country called (recorded by one of its agencies)' })
  calledByCountry!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.5, description: 'calledByCountry / meetings' })
  shareCalledByCountry!: number | null;
}

export class JitReportView {
  @ApiProperty({ nullable: true, type: String, example: 'GB' }) country!: string | null;
  @ApiProperty({ example: '2015-01-01' }) from!: string;
  @ApiProperty({ example: '2017-12-31' }) to!: string;
  @ApiProperty({ example: '2018-02-01', description: 'The day live teams are counted on (today)' }) liveOn!: string;
  @ApiProperty({ description: 'Teams live on that day (within their agreement’s dates)' }) live!: number;
  @ApiProperty({ type: [JitYearView] }) years!: JitYearView[];
}
