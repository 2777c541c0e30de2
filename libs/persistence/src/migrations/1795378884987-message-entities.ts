import type { MigrationInterface, QueryRunner } from "typeorm";

export class MessageEntities1795378884987 implements MigrationInterface {
    name = 'MessageEntities1795378884987'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "messages" ADD "entities" jsonb`);
        await queryRunner.query(`ALTER TABLE "messages" ADD "entity_links" jsonb`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "entity_links"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "entities"`);
    }

}
