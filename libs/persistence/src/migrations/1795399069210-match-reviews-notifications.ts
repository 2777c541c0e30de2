import type { MigrationInterface, QueryRunner } from "typeorm";

export class MatchReviewsNotifications1795399069210 implements MigrationInterface {
    name = 'MatchReviewsNotifications1795399069210'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "match_reviews" ("review_id" uuid NOT NULL, "match_id" uuid NOT NULL, "agency" text NOT NULL, "action" text NOT NULL, "reviewed_by_key_id" uuid NOT NULL, "reviewed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "refused" text, "decision_a" text NOT NULL, "decision_b" text NOT NULL, "candidate_state" text, "applied_at" TIMESTAMP WITH TIME ZONE NOT NULL, "announced_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_28a3aaf5bd482e02bc7f1a6d86f" PRIMARY KEY ("review_id"))`);
        await queryRunner.query(`CREATE INDEX "ix_match_reviews_match" ON "match_reviews"  ("match_id", "reviewed_at") `);
        await queryRunner.query(`CREATE TABLE "notifications" ("id" uuid NOT NULL, "agency" text NOT NULL, "event" text NOT NULL, "source_id" text NOT NULL, "payload" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "read_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_notifications_source" UNIQUE ("agency", "event", "source_id"), CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_notifications_unread" ON "notifications"  ("agency", "created_at") WHERE read_at IS NULL`);
        await queryRunner.query(`CREATE INDEX "ix_notifications_agency" ON "notifications"  ("agency", "created_at", "id") `);
        await queryRunner.query(`CREATE TABLE "webhook_endpoints" ("id" uuid NOT NULL, "agency" text NOT NULL, "url" text NOT NULL, "secret" text NOT NULL, "events" text array NOT NULL, "created_by_key_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "removed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_054c4cfb95223732f5939d2d546" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_webhook_endpoints_agency" ON "webhook_endpoints"  ("agency") WHERE removed_at IS NULL`);
        await queryRunner.query(`CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL, "endpoint_id" uuid NOT NULL, "notification_id" uuid NOT NULL, "agency" text NOT NULL, "event" text NOT NULL, "state" text NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "resends" integer NOT NULL DEFAULT '0', "last_status" integer, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_attempt_at" TIMESTAMP WITH TIME ZONE, "delivered_at" TIMESTAMP WITH TIME ZONE, "failed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_webhook_deliveries_notification" UNIQUE ("endpoint_id", "notification_id"), CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_webhook_deliveries_state" ON "webhook_deliveries"  ("state", "created_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_webhook_deliveries_state"`);
        await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
        await queryRunner.query(`DROP INDEX "public"."ix_webhook_endpoints_agency"`);
        await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
        await queryRunner.query(`DROP INDEX "public"."ix_notifications_agency"`);
        await queryRunner.query(`DROP INDEX "public"."ix_notifications_unread"`);
        await queryRunner.query(`DROP TABLE "notifications"`);
        await queryRunner.query(`DROP INDEX "public"."ix_match_reviews_match"`);
        await queryRunner.query(`DROP TABLE "match_reviews"`);
    }

}
