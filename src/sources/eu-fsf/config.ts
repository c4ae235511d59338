import { cronField, sourceUrlField } from '../../config-fields.js';

export const EU_FSF_DEFAULT_URL =
  'https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw';
export const EU_FSF_DEFAULT_CRON = '15 * * * *';

/** EU Financial Sanctions Files (consolidated list, XML v1.1) settings (.env.example documents each). */
export const euFsfConfig = {
  EU_FSF_URL: sourceUrlField.default(EU_FSF_DEFAULT_URL),
  EU_FSF_CRON: cronField.default(EU_FSF_DEFAULT_CRON),
};
