import { AGENCY_CODE_PATTERN, ROLES, type Role } from '@liaison/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SingleLine } from '../http/text-safety.pipe';

export class InvitePersonDto {
  @ApiProperty({ example: 'claire.hughes@wmp.police.uk' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Claire Hughes', description: 'As colleagues know them; shown to admins of the agency' })
  @IsString()
  @SingleLine()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: ROLES, example: 'supervisor' })
  @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}` })
  role!: Role;

  @ApiPropertyOptional({
    enum: ['identity-provider', 'local'],
    description:
      "How they sign in: through the agency's identity provider (the default when it has one) or with a local password and TOTP (bootstrap, break-glass, agencies without one)",
  })
  @IsOptional()
  @IsIn(['identity-provider', 'local'], { message: 'signIn must be identity-provider or local' })
  signIn?: 'identity-provider' | 'local';
}

export class InviteToAgencyDto extends InvitePersonDto {
  @ApiPropertyOptional({
    example: 'GB-WMP',
    description:
      "The agency they join; by default the caller's. Only an admin API key (the operator's) may name another agency, to invite that agency's first admin",
  })
  @IsOptional()
  @Matches(AGENCY_CODE_PATTERN, { message: 'agency must be an agency code such as GB-WMP' })
  agency?: string;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}` })
  role!: Role;
}
