import { IsString, MaxLength, MinLength } from 'class-validator';

export class PasswordSignInDto {
  @IsString()
  @MinLength(1, { message: 'email: enter your e-mail address' })
  @MaxLength(254)
  email!: string;

  @IsString()
  @MinLength(1, { message: 'password: enter your password' })
  @MaxLength(1024)
  password!: string;
}

export class CodeDto {
  @IsString()
  @MinLength(1, { message: 'code: enter the code from your authenticator app' })
  @MaxLength(32)
  code!: string;
}

export class FirstPasswordDto {
  @IsString()
  @MinLength(43)
  @MaxLength(43)
  token!: string;

  @IsString()
  @MaxLength(1024)
  password!: string;
}
