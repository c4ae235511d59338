import { cronField, sourceUrlField } from '../../config-fields.js';

export const UK_SANCTIONS_DEFAULT_URL = 'https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml';
export const UK_SANCTIONS_DEFAULT_CRON = '20 * * * *';

/** UK Sanctions List (FCDO) settings (.env.example documents each). */
export const ukSanctionsConfig = {
  UK_SANCTIONS_URL: sourceUrlField.default(UK_SANCTIONS_DEFAULT_URL),
  UK_SANCTIONS_CRON: cronField.default(UK_SANCTIONS_DEFAULT_CRON),
};
