/** What scripts, benchmarks and tests use of the tracker. */
export {
  REBUILD_SCHEMA,
  rebuildReportFacts,
  REPORT_TABLES,
  REPORT_TOPICS,
  type RebuildResult,
} from './rebuild-facts.command';
export { RefreshPercentilesUseCase } from './refresh-percentiles.usecase';
export { ReportCubeRepository } from './report-cube.repository';
export { startTracker, TRACKER_CONSUMPTION } from './tracker.app';
