import { cronField, sourceUrlField } from '../../config-fields.js';

export const AU_DFAT_DEFAULT_URL = 'https://www.dfat.gov.au/sites/default/files/Australian_Sanctions_Consolidated_List.xlsx';
export const AU_DFAT_DEFAULT_CRON = '30 * * * *';

/** Australia DFAT Consolidated List settings (.env.example documents each). */
export const auDfatConfig = {
  AU_DFAT_URL: sourceUrlField.default(AU_DFAT_DEFAULT_URL),
  AU_DFAT_CRON: cronField.default(AU_DFAT_DEFAULT_CRON),
};
