import { IsString, MaxLength } from 'class-validator';

export class PasswordSignInDto {
  @IsString()
  @MaxLength(254)
  email!: string;

  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class CodeDto {
  @IsString()
  @MaxLength(32)
  code!: string;
}

export class FirstPasswordDto {
  @IsString()
  @MaxLength(100)
  token!: string;

  @IsString()
  @MaxLength(1024)
  password!: string;
}
