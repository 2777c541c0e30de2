import type { FastifyReply } from 'fastify';
import { ApplicationError, ErrorCode } from '../application/application-error';

/**
 * Runs an action that needs a fresh second factor (a release, a permission, a change to people, a key, a
 * clearance). Without one, the person is sent to confirm it is them and then back to `back`; the answer says
 * whether the action ran. Any other refusal is thrown on.
 */
export async function confirmedFirst(
  reply: FastifyReply,
  back: string,
  action: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (error) {
    if (!(error instanceof ApplicationError) || error.code !== ErrorCode.StepUpRequired) throw error;
    void reply.redirect(`/console/confirm?next=${encodeURIComponent(back)}`, 303);
    return false;
  }
}
