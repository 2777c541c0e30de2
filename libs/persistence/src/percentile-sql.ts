/**
 * The median and 80th-percentile buckets of answers per time bucket, in SQL, as `percentileBucket` (in
 * `libs/domain`) picks them: the nearest rank, the first bucket with at least that share of the answers at or
 * below it. `source` yields rows of the `groups` columns, `bucket` and `answers`; the result has one row per
 * group with any answers: the group's columns, `median` and `p80`.
 */
export function percentileBucketsSql(source: string, groups: readonly string[], bucket = 'bucket'): string {
  const list = groups.join(', ');
  return `SELECT ${list}, min(${bucket}) FILTER (WHERE running >= ceil(total * 0.5)) AS median, min(${bucket}) FILTER (WHERE running >= ceil(total * 0.8)) AS p80
    FROM (SELECT ${list}, ${bucket}, sum(answers) OVER (PARTITION BY ${list} ORDER BY ${bucket}) AS running, sum(answers) OVER (PARTITION BY ${list}) AS total
            FROM (${source}) s WHERE answers > 0) r
   GROUP BY ${list}`;
}
