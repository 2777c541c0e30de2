import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Reads the tracker's daily aggregates; never the messages themselves. */
@Injectable()
export class VolumeReportRepository {
  constructor(private readonly dataSource: DataSource) {}

  async bySenderCountry(from: string, to: string): Promise<{ country: string; messages: number }[]> {
    const rows: { country: string; messages: string }[] = await this.dataSource.query(
      `SELECT sender_country AS country, sum(messages) AS messages FROM volume_sent_daily
        WHERE day BETWEEN $1 AND $2 GROUP BY sender_country ORDER BY sum(messages) DESC, sender_country`,
      [from, to],
    );
    return rows.map((row) => ({ country: row.country, messages: Number(row.messages) }));
  }

  async byCountryPair(from: string, to: string): Promise<{ senderCountry: string; recipientCountry: string; messages: number }[]> {
    const rows: { sender_country: string; recipient_country: string; messages: string }[] = await this.dataSource.query(
      `SELECT sender_country, recipient_country, sum(messages) AS messages FROM volume_daily
        WHERE day BETWEEN $1 AND $2 GROUP BY sender_country, recipient_country
        ORDER BY sum(messages) DESC, sender_country, recipient_country`,
      [from, to],
    );
    return rows.map((row) => ({ senderCountry: row.sender_country, recipientCountry: row.recipient_country, messages: Number(row.messages) }));
  }
}
