/**
 * SECO targets have no public page of their own; every record links to SECO's page on
 * sanctions and embargoes, from which the SESAM search and the XML export are reached.
 */
export const CH_SECO_PAGE =
  'https://www.seco.admin.ch/seco/en/home/Aussenwirtschaftspolitik_Wirtschaftliche_Zusammenarbeit/Wirtschaftsbeziehungen/exportkontrollen-und-sanktionen/sanktionen-embargos.html';
