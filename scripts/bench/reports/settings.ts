import { seededRandom } from '@liaison/testing';
import { join } from 'node:path';

/** The benchmark's settings, from the environment (see `../reports.ts`). */
export const root = join(__dirname, '..', '..', '..', '..');
export const run = Date.now().toString(36);
export const namespace = `benchreports.${run}.`;
export const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liaison_bench_reports';
export const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
export const port = process.env.BENCH_PORT ?? '3191';
export const TOTAL = Number(process.env.BENCH_REPORTS_MESSAGES ?? 10_000_000);
export const INGEST = Number(process.env.BENCH_REPORTS_INGEST ?? 300_000);
export const SAMPLES = Number(process.env.BENCH_REPORTS_SAMPLES ?? 300);
export const REUSE = process.env.BENCH_REPORTS_REUSE === '1';
export const FIRST_YEAR = 2021;
export const YEARS = 5;
export const random = seededRandom(2015);
