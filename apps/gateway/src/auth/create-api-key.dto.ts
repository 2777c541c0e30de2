import { SingleLine } from '../http/text-safety.pipe';
import { AGENCY_CODE_PATTERN, PRINCIPAL_TYPES, ROLES, type Role } from '@liaison/domain';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'GB-WMP', description: 'Agency the key acts for' })
  @IsString()
  @Matches(AGENCY_CODE_PATTERN, { message: 'agency must be an agency code such as GB-WMP' })
  agency!: string;

  @ApiProperty({ enum: ROLES, example: 'officer' })
  @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}` })
  role!: Role;

  @ApiProperty({ example: 'Modern slavery unit, desk 3', description: 'Who or what uses the key' })
  @IsString()
  @SingleLine()
  @MinLength(1)
  @MaxLength(200)
  label!: string;
}

export class PrincipalView {
  @ApiProperty({ enum: PRINCIPAL_TYPES }) type!: string;
  @ApiProperty({ description: "A person's id, an API key's id, or the system part's name" }) id!: string;
}

export class ApiKeyView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'lia_Ab12Cd', description: 'First characters of the key, to tell keys apart' }) hint!: string;
  @ApiProperty() agency!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() label!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: PrincipalView, nullable: true, description: 'Who created it; null for the bootstrapped key' })
  createdBy!: PrincipalView | null;
  @ApiProperty({ nullable: true, type: String, description: 'When it was last used, to the minute' })
  lastUsedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
}

export class IssuedApiKeyView extends ApiKeyView {
  @ApiProperty({ description: 'The key itself. Shown once: only its digest is stored.' }) key!: string;
}
