import { qualifiedTopic, Topics, type TopicName } from '@liaison/contracts';
import { loadConfig } from '@liaison/config';
import { createServiceRuntime, startConsumerService } from '@liaison/runtime';
import { createDataSource } from '@liaison/persistence';
import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { RefreshPercentilesUseCase } from './refresh-percentiles.usecase';
import { ReportCubeRepository } from './report-cube.repository';
import { TrackerConfig } from './tracker.config';
import { TRACKER_CONSUMPTION } from './tracker.app';
import { TRACKER_GROUP, TrackerModule } from './tracker.module';
import { TRACKER_CONSUMER } from './tracker.store';

/** The schema a rebuild fills before its tables replace the live ones. */
export const REBUILD_SCHEMA = 'tracker_rebuild';

/** The topics the report facts come from. */
export const REPORT_TOPICS: readonly TopicName[] = [
  Topics.messageRouted,
  Topics.caseClosed,
  Topics.matchFound,
  Topics.matchUpdated,
  Topics.jitChanged,
];

/** Every table the report facts live in: the aggregates at each grain, and the states they are derived from. */
export const REPORT_TABLES: readonly string[] = [
  ...ReportCubeRepository.TABLES,
  'report_requests',
  'report_open_requests',
  'report_closed_cases',
  'report_matches',
  'report_jits',
  'report_jit_meetings',
];

export interface RebuildResult {
  events: number;
  seconds: number;
}

async function endOffsets(
  admin: Admin,
  namespace: string,
): Promise<Map<string, { partition: number; offset: string }[]>> {
  const ends = new Map<string, { partition: number; offset: string }[]>();
  for (const topic of REPORT_TOPICS) {
    const name = qualifiedTopic(namespace, topic);
    ends.set(
      name,
      (await admin.fetchTopicOffsets(name)).map((p) => ({ partition: p.partition, offset: p.high })),
    );
  }
  return ends;
}

async function membersOf(admin: Admin, groupId: string): Promise<number> {
  const { groups } = await admin.describeGroups([groupId]);
  return groups[0]?.members.length ?? 0;
}

/**
 * Rebuilds the report facts from the topics: replays every event from the start, with the tracker's own
 * consumers, into fresh tables in a schema of their own; then, in one transaction, replaces the live tables'
 * contents and the tracker's record of counted events with the rebuilt ones, and moves the tracker's consumer
 * group to where the replay ended. The tracker must be stopped (its group empty) for the whole of it: the
 * rebuild refuses to start otherwise. The audit log is left as it is.
 */
export async function rebuildReportFacts(
  env: Record<string, string | undefined> = process.env,
  log: (line: string) => void = () => undefined,
): Promise<RebuildResult> {
  const started = Date.now();
  const config = loadConfig(TrackerConfig, env);
  const namespace = config.KAFKA_NAMESPACE;
  const runtime = createServiceRuntime('tracker-rebuild', config);
  const admin = runtime.kafka.admin();
  await admin.connect();
  const db = await createDataSource({
    url: config.DATABASE_URL,
    poolSize: 2,
    applicationName: 'liaison-tracker-rebuild',
  }).initialize();
  const liveGroup = `${namespace}${TRACKER_GROUP}`;
  const rebuildGroup = `${TRACKER_GROUP}-rebuild-${randomUUID()}`;
  try {
    const members = await membersOf(admin, liveGroup);
    if (members > 0)
      throw new Error(`stop the tracker first: its consumer group ${liveGroup} has ${members} member(s)`);

    await db.query(`DROP SCHEMA IF EXISTS ${REBUILD_SCHEMA} CASCADE`);
    await db.query(`CREATE SCHEMA ${REBUILD_SCHEMA}`);
    for (const table of [...REPORT_TABLES, 'processed_events'])
      await db.query(`CREATE TABLE ${REBUILD_SCHEMA}.${table} (LIKE public.${table} INCLUDING ALL)`);
    const ends = await endOffsets(admin, namespace);
    const events = [...ends.values()].flat().reduce((sum, p) => sum + Number(p.offset), 0);
    log(`replaying ${REPORT_TOPICS.length} topics (${events} records) into ${REBUILD_SCHEMA}`);

    // The tracker's own consumers, in a group of their own, writing to the rebuild schema (agencies from public).
    const replay = await startConsumerService(
      { ...runtime, searchPath: `${REBUILD_SCHEMA},public` },
      TrackerModule.forRoot({ ...runtime, searchPath: `${REBUILD_SCHEMA},public` }, { reportsOnly: true }),
      { groupId: rebuildGroup, ...TRACKER_CONSUMPTION },
    );
    try {
      for (;;) {
        const committed = await admin.fetchOffsets({
          groupId: `${namespace}${rebuildGroup}`,
          topics: [...ends.keys()],
        });
        const behind = committed.some(({ topic, partitions }) =>
          partitions.some((p) => {
            const end = ends.get(topic)!.find((e) => e.partition === p.partition)!;
            return BigInt(end.offset) > 0n && BigInt(p.offset) < BigInt(end.offset);
          }),
        );
        if (!behind) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await replay.app.close();
    }

    // The percentiles of every request-count row the replay left stale, in the rebuild schema.
    const rebuilt = await createDataSource({
      url: config.DATABASE_URL,
      poolSize: 1,
      applicationName: 'liaison-tracker-rebuild',
      searchPath: `${REBUILD_SCHEMA},public`,
    }).initialize();
    try {
      const refresh = new RefreshPercentilesUseCase(rebuilt, new ReportCubeRepository());
      while ((await refresh.run(20_000)) > 0);
    } finally {
      await rebuilt.destroy();
    }

    if ((await membersOf(admin, liveGroup)) > 0)
      throw new Error(`the tracker started during the rebuild (group ${liveGroup}); nothing was replaced`);
    await db.transaction(async (manager) => {
      for (const table of REPORT_TABLES) {
        await manager.query(`TRUNCATE public.${table}`);
        await manager.query(`INSERT INTO public.${table} SELECT * FROM ${REBUILD_SCHEMA}.${table}`);
      }
      await manager.query('DELETE FROM public.processed_events WHERE consumer = $1', [TRACKER_CONSUMER]);
      await manager.query(`INSERT INTO public.processed_events SELECT * FROM ${REBUILD_SCHEMA}.processed_events`);
    });
    // Events after these offsets that the replay already counted are in processed_events: the tracker skips them.
    for (const [topic, partitions] of ends) await admin.setOffsets({ groupId: liveGroup, topic, partitions });
    await db.query(`DROP SCHEMA ${REBUILD_SCHEMA} CASCADE`);
    await admin.deleteGroups([`${namespace}${rebuildGroup}`]).catch(() => undefined);
    return { events, seconds: (Date.now() - started) / 1000 };
  } finally {
    await db.destroy();
    await admin.disconnect();
  }
}
