/** UN 1718 Committee (DPRK) sanctions materials page. */
export const UN_1718_URL = 'https://main.un.org/securitycouncil/en/sanctions/1718/materials';
/** UN Security Council Consolidated List page. */
export const UN_CONSOLIDATED_URL = 'https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list';

/**
 * Link for a UN consolidated-list record. UN records have no stable per-record page, so DPRK
 * records (reference numbers KPi.… / KPe.…) link to the 1718 Committee's page and all others
 * to the consolidated list.
 */
export function unRecordUrl(referenceNumber: string): string {
  return /^KP/.test(referenceNumber.trim()) ? UN_1718_URL : UN_CONSOLIDATED_URL;
}
