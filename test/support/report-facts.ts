import { responseBucket, type AnswerTimeFact, type RequestCountFact } from '@liaison/domain';

/**
 * A day's requests from the UK to Romania of one priority, as the tracker counts them: two urgent ones answered
 * after 2 and 30 hours, and a normal one unanswered; with their answers per time bucket.
 */
export function ukRequestsToRomania(day: string): { counts: RequestCountFact[]; answers: AnswerTimeFact[] } {
  const request = (priority: string, answered: number): RequestCountFact => ({
    day,
    country: 'GB',
    partnerCountry: 'RO',
    priority,
    requests: 1,
    answered,
    withinDeadline: answered,
  });
  const answer = (priority: string, hours: number): AnswerTimeFact => ({
    day,
    country: 'GB',
    partnerCountry: 'RO',
    priority,
    bucket: responseBucket(hours * 3600),
    answers: 1,
  });
  return {
    counts: [request('urgent', 1), request('urgent', 1), request('normal', 0)],
    answers: [answer('urgent', 2), answer('urgent', 30)],
  };
}
