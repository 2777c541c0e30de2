/** What scripts, benchmarks and tests use of the notifier. */
export type { DeliveryWork } from './notification.repository';
export { startNotifier } from './notifier.app';
export { NotificationScheduler } from './notification.scheduler';
export { WebhookSender } from './webhook.sender';
export { ReviewSweeper } from './review.sweeper';
