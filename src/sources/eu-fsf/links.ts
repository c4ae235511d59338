/**
 * FSF records have no public page of their own; every record links to the EU Open Data
 * portal's page of the consolidated financial sanctions list, where the files are published.
 */
export const EU_FSF_PAGE =
  'https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-entities-subject-to-eu-financial-sanctions';
