/** Link to a party's page on OFAC Sanctions List Search, by ent_num / uid. */
export function ofacRecordUrl(entNum: string): string {
  return `https://sanctionssearch.ofac.treas.gov/Details.aspx?id=${entNum}`;
}
