/** DFAT's page for the Consolidated List (records have no page of their own). */
export const DFAT_CONSOLIDATED_LIST_URL = 'https://www.dfat.gov.au/international-relations/security/sanctions/consolidated-list';
