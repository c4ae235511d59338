import { cronField, sourceUrlField } from '../../config-fields.js';

export const UN_SC_DEFAULT_URL = 'https://scsanctions.un.org/resources/xml/en/consolidated.xml';
export const UN_SC_DEFAULT_CRON = '0 * * * *';

/** UN Security Council consolidated list settings (.env.example documents each). */
export const unConfig = {
  UN_SC_URL: sourceUrlField.default(UN_SC_DEFAULT_URL),
  UN_SC_CRON: cronField.default(UN_SC_DEFAULT_CRON),
};
