import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

export class VolumeQueryDto {
  @ApiProperty({ example: '2026-01-01', description: 'First UTC day of the period (inclusive)' })
  @IsString({ message: 'from must be a calendar date, YYYY-MM-DD' })
  from!: string;

  @ApiProperty({ example: '2026-12-31', description: 'Last UTC day of the period (inclusive)' })
  @IsString({ message: 'to must be a calendar date, YYYY-MM-DD' })
  to!: string;
}

export class CountryVolumeView {
  @ApiProperty({ example: 'GB' }) country!: string;
  @ApiProperty() messages!: number;
}

export class CountryPairVolumeView {
  @ApiProperty({ example: 'GB' }) senderCountry!: string;
  @ApiProperty({ example: 'RO' }) recipientCountry!: string;
  @ApiProperty({ description: 'Messages from the sender country with at least one recipient in the recipient country' })
  messages!: number;
}

export class VolumeReportView {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ description: 'Messages sent in the period' }) totalMessages!: number;
  @ApiProperty({ type: [CountryVolumeView] }) bySenderCountry!: CountryVolumeView[];
  @ApiProperty({ type: [CountryPairVolumeView] }) byCountryPair!: CountryPairVolumeView[];
}
