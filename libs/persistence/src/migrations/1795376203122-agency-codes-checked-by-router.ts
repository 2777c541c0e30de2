import type { MigrationInterface, QueryRunner } from "typeorm";

export class AgencyCodesCheckedByRouter1795376203122 implements MigrationInterface {
    name = 'AgencyCodesCheckedByRouter1795376203122'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "fk_cases_owner_agency"`);
        await queryRunner.query(`ALTER TABLE "case_participants" DROP CONSTRAINT "fk_case_participants_agency"`);
        await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "fk_messages_sender_agency"`);
        await queryRunner.query(`ALTER TABLE "deliveries" DROP CONSTRAINT "fk_deliveries_recipient_agency"`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "deliveries" ADD CONSTRAINT "fk_deliveries_recipient_agency" FOREIGN KEY ("recipient_agency") REFERENCES "agencies"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "messages" ADD CONSTRAINT "fk_messages_sender_agency" FOREIGN KEY ("sender_agency") REFERENCES "agencies"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "case_participants" ADD CONSTRAINT "fk_case_participants_agency" FOREIGN KEY ("agency_code") REFERENCES "agencies"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "cases" ADD CONSTRAINT "fk_cases_owner_agency" FOREIGN KEY ("owner_agency") REFERENCES "agencies"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    }

}
