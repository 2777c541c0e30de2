import { exchangeCube } from './report-read.repository';

describe('the exchange cube a volume breakdown reads', () => {
  it('reads the per-country cube, per day too, when no agency or region is asked for', () => {
    expect(exchangeCube('day', [])).toEqual({ table: 'report_country_exchanges_daily', measure: 'country_messages' });
    expect(exchangeCube('quarter', ['direction', 'crime-area'])).toEqual({ table: 'report_country_exchanges_monthly', measure: 'country_messages' });
    expect(exchangeCube('year', ['partner-country', 'message-type'])).toEqual({ table: 'report_country_exchanges_yearly', measure: 'partner_messages' });
  });

  it('reads a per-agency cube for breakdowns by agency or region', () => {
    expect(exchangeCube('year', ['agency'])).toEqual({ table: 'report_agency_exchanges_yearly', measure: 'agency_messages' });
    expect(exchangeCube('month', ['region', 'direction', 'country'])).toEqual({ table: 'report_agency_exchanges_monthly', measure: 'agency_messages' });
    expect(exchangeCube('year', ['agency', 'crime-area', 'message-type'])).toEqual({ table: 'report_agency_exchanges_yearly', measure: 'agency_messages' });
    expect(exchangeCube('year', ['agency', 'partner-country', 'direction'])).toEqual({ table: 'report_agency_partner_exchanges_yearly', measure: 'messages' });
  });

  it('holds no breakdown by agency and partner with crime area or message type', () => {
    expect(exchangeCube('month', ['region', 'message-type', 'partner-country'])).toBeNull();
    expect(exchangeCube('year', ['agency', 'partner-country', 'crime-area'])).toBeNull();
  });
});
