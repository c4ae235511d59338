import { cronField, sourceUrlField } from '../../config-fields.js';

export const OFAC_SDN_DEFAULT_URL = 'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.XML';
export const OFAC_SDN_DEFAULT_CRON = '*/30 * * * *';

/** OFAC SDN settings (.env.example documents each). */
export const ofacConfig = {
  OFAC_SDN_URL: sourceUrlField.default(OFAC_SDN_DEFAULT_URL),
  OFAC_SDN_CRON: cronField.default(OFAC_SDN_DEFAULT_CRON),
};
