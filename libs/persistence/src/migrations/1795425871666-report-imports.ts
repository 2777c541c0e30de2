import type { MigrationInterface, QueryRunner } from "typeorm";

export class ReportImports1795425871666 implements MigrationInterface {
    name = 'ReportImports1795425871666'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "report_imports" ("id" uuid NOT NULL, "country" text NOT NULL, "sha256" text NOT NULL, "counts" integer NOT NULL, "first_period" text NOT NULL, "last_period" text NOT NULL, "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL, "imported_by_key_id" uuid NOT NULL, CONSTRAINT "uq_report_imports_file" UNIQUE ("country", "sha256"), CONSTRAINT "PK_553fba9937dbb18dcb7b4483219" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_report_imports_country" ON "report_imports"  ("country", "imported_at") `);
        await queryRunner.query(`CREATE TABLE "report_imported_counts" ("country" text NOT NULL, "period" text NOT NULL, "direction" text NOT NULL, "partner_country" text NOT NULL, "crime_area" text NOT NULL, "message_type" text NOT NULL, "granularity" text NOT NULL, "period_from" date NOT NULL, "period_to" date NOT NULL, "messages" bigint NOT NULL, "import_id" uuid NOT NULL, CONSTRAINT "PK_c17a2d7020ded04eb9523a70d86" PRIMARY KEY ("country", "period", "direction", "partner_country", "crime_area", "message_type"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "report_imported_counts"`);
        await queryRunner.query(`DROP INDEX "public"."ix_report_imports_country"`);
        await queryRunner.query(`DROP TABLE "report_imports"`);
    }

}
