/** What scripts, benchmarks and tests use of the router. */
export { startRouter } from './router.app';
