import { cronField, sourceUrlField } from '../../config-fields.js';

/** MOF's list page; it links the dated workbook (shisantouketsuYYYYMMDD.xlsx), whose name changes with each update. */
export const JP_MOF_DEFAULT_URL =
  'https://www.mof.go.jp/policy/international_policy/gaitame_kawase/gaitame/economic_sanctions/list.html';
export const JP_MOF_DEFAULT_CRON = '25 * * * *';

/** Japan Ministry of Finance asset-freeze list settings (.env.example documents each). */
export const jpMofConfig = {
  JP_MOF_URL: sourceUrlField.default(JP_MOF_DEFAULT_URL),
  JP_MOF_CRON: cronField.default(JP_MOF_DEFAULT_CRON),
};
