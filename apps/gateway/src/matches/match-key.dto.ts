import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { SingleLine } from '../http/text-safety.pipe';

export class ExclusionDto {
  @ApiPropertyOptional({
    description: 'A match key as listed among the over-correlated keys',
    example: 'phone:+442079460000',
  })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  key?: string;

  @ApiPropertyOptional({
    description: 'Or an entity, as in a message, whose keys to exclude',
    example: { type: 'phone', number: '020 7946 0000', country: 'GB' },
  })
  @IsOptional()
  @IsObject()
  entity?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: "Country that reads a phone number written in national form (as a message's sender country does)",
    example: 'RO',
  })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code such as RO' })
  country?: string;

  @ApiProperty({ example: 'Switchboard of the Hotel Europa, Bucharest: in many unrelated cases' })
  @IsString()
  @SingleLine()
  @IsNotEmpty()
  @Length(3, 500)
  reason!: string;
}
