import type { MigrationInterface, QueryRunner } from "typeorm";

export class IdempotencyKeys1795377386370 implements MigrationInterface {
    name = 'IdempotencyKeys1795377386370'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "idempotency_keys" ("agency_code" text NOT NULL, "key" text NOT NULL, "request_hash" text NOT NULL, "claimed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status_code" integer, "response" jsonb, "location" text, "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_250148be9ade8901f68847f72fc" PRIMARY KEY ("agency_code", "key"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "idempotency_keys"`);
    }

}
