import { MigrationInterface, QueryRunner } from "typeorm";

export class IdempotencyReservations1796560000000 implements MigrationInterface {
    name = 'IdempotencyReservations1796560000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "idempotency_keys" ADD "reserved" jsonb`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "idempotency_keys" DROP COLUMN "reserved"`);
    }

}
