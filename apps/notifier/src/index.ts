/** What scripts, benchmarks and tests use of the notifier. */
export type { DeliveryWork } from './notification.repository';
export { startNotifier } from './notifier.app';
export { NotifierJobs } from './notifier-jobs';
export { WebhookSender } from './webhook-sender';
