import { ROLES, type Role } from '@liaison/domain';
import type { PersonEntity } from '@liaison/persistence';
import { ApiProperty } from '@nestjs/swagger';

export class PersonView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() agency!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ enum: ['invited', 'active', 'disabled'] }) status!: string;
  @ApiProperty({ enum: ['identity-provider', 'local'] }) signIn!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) lastSignInAt!: string | null;
}

export class InvitedPersonView extends PersonView {
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'For a local account: the one-time link to give the person, to set their password (shown this once; only its digest is kept)',
  })
  enrolmentLink!: string | null;
  @ApiProperty({ nullable: true, type: String }) enrolmentExpiresAt!: string | null;
}

export class PeoplePageView {
  @ApiProperty({ type: [PersonView] }) items!: PersonView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class SessionsRevokedView {
  @ApiProperty({ description: 'How many sessions were ended' }) ended!: number;
}

export function personView(person: PersonEntity): PersonView {
  return {
    id: person.id,
    agency: person.agencyCode,
    email: person.email,
    name: person.name,
    role: person.role,
    status: person.status,
    signIn: person.signIn,
    createdAt: person.createdAt.toISOString(),
    lastSignInAt: person.lastSignInAt?.toISOString() ?? null,
  };
}
