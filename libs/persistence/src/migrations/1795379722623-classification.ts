import type { MigrationInterface, QueryRunner } from "typeorm";

export class Classification1795379722623 implements MigrationInterface {
    name = 'Classification1795379722623'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "agencies" ADD "clearance" text NOT NULL DEFAULT 'restricted'`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "classification" text NOT NULL DEFAULT 'basic-protection'`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "classification"`);
        await queryRunner.query(`ALTER TABLE "agencies" DROP COLUMN "clearance"`);
    }

}
