import { cronField, sourceUrlField } from '../../config-fields.js';

export const CH_SECO_DEFAULT_URL =
  'https://www.sesam.search.admin.ch/sesam-search-web/pages/downloadXmlGesamtliste.xhtml?lang=en&action=downloadXmlGesamtlisteAction';
export const CH_SECO_DEFAULT_CRON = '35 * * * *';

/** Swiss SECO consolidated sanctions list (SESAM XML export) settings (.env.example documents each). */
export const chSecoConfig = {
  CH_SECO_URL: sourceUrlField.default(CH_SECO_DEFAULT_URL),
  CH_SECO_CRON: cronField.default(CH_SECO_DEFAULT_CRON),
};
