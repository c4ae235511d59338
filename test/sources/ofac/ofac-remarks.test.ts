import { describe, expect, it } from 'vitest';
import { parseRemarks, splitRemarkItems } from '../../../src/sources/ofac/remarks.js';

// Every remark below is copied verbatim from the Remarks column of a real sdn.csv in
// test/fixtures/real/ofac_sdn_csv/ (ent_num and file noted for each).

describe('parseRemarks on real sdn.csv remarks', () => {
  it('reads DOB, nationality, gender, a passport with its issuing country and Linked To (37658 KANG, Kyong Il, 2023-12-01)', () => {
    const r = parseRemarks(
      'DOB 01 Sep 1969; nationality Korea, North; Gender Male; Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210; Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214; Passport 563210175 (Korea, North); Linked To: GREEN PINE ASSOCIATED CORPORATION.',
    );
    expect(r.dobs).toEqual(['01 Sep 1969']);
    expect(r.nationalities).toEqual(['Korea, North']);
    expect(r.gender).toBe('Male');
    expect(r.identifiers).toEqual([{ kind: 'passport', label: 'Passport', value: '563210175', country: 'Korea, North' }]);
    expect(r.linkedTo).toEqual(['GREEN PINE ASSOCIATED CORPORATION']);
    expect(r.facts).toEqual([
      { label: 'Secondary sanctions risk', value: 'North Korea Sanctions Regulations, sections 510.201 and 510.210' },
      {
        label: 'Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions',
        value: 'North Korea Sanctions Regulations section 510.214',
      },
    ]);
    expect(r.aliases).toEqual([]);
    expect(r.unparsed).toEqual([]);
  });

  it('reads several alt. DOBs, POB, citizen and quoted aliases, including names with commas, periods and inner quotes (6925 GHAILANI, 2023-12-01)', () => {
    const r = parseRemarks(
      "DOB 14 Mar 1974; alt. DOB 13 Apr 1974; alt. DOB 14 Apr 1974; alt. DOB 01 Aug 1970; POB Zanzibar, Tanzania; citizen Tanzania; a.k.a. 'AHMED, A.'; a.k.a. 'KHABAR, Abu'; a.k.a. 'BAKR, Abu'; a.k.a. ''FOOPIE''; a.k.a. ''FUPI''; a.k.a. ''AHMED THE TANZANIAN''.",
    );
    expect(r.dobs).toEqual(['14 Mar 1974', '13 Apr 1974', '14 Apr 1974', '01 Aug 1970']);
    expect(r.placesOfBirth).toEqual(['Zanzibar, Tanzania']);
    expect(r.nationalities).toEqual(['Tanzania']);
    expect(r.aliases.map((a) => a.name)).toEqual([
      'AHMED, A.',
      'KHABAR, Abu',
      'BAKR, Abu',
      "'FOOPIE'",
      "'FUPI'",
      "'AHMED THE TANZANIAN'",
    ]);
    // Remarks aliases are OFAC's "weak" a.k.a.s (strong ones are in alt.csv).
    expect(new Set(r.aliases.map((a) => `${a.kind}/${a.quality}`))).toEqual(new Set(['aka/weak']));
  });

  it("keeps an apostrophe inside a quoted alias (3754 ABU MARZOOK: a.k.a. 'ABU-'UMAR'), and leaves a role as unparsed", () => {
    const r = parseRemarks(
      "DOB 09 Feb 1951; POB Gaza, Egypt; Passport 92/664 (Egypt); SSN 523-33-8386 (United States); Political Leader in Amman, Jordan and Damascus, Syria for HAMAS; a.k.a. 'ABU-'UMAR'.",
    );
    expect(r.aliases).toEqual([{ name: "ABU-'UMAR", kind: 'aka', quality: 'weak' }]);
    expect(r.identifiers).toEqual([
      { kind: 'passport', label: 'Passport', value: '92/664', country: 'Egypt' },
      { kind: 'national-id', label: 'SSN', value: '523-33-8386', country: 'United States' },
    ]);
    expect(r.unparsed).toEqual(['Political Leader in Amman, Jordan and Damascus, Syria for HAMAS']);
  });

  it('keeps issue/expiry details of a passport as its note, with or without a country (15667 PAEK and 18555 KO, 2022-04-14 subset)', () => {
    const paek = parseRemarks(
      'DOB 18 Jun 1964; POB Kaesong, DPRK; Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210; Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214; Passport 381420754 issued 07 Dec 2011 expires 07 Dec 2016.',
    );
    expect(paek.placesOfBirth).toEqual(['Kaesong, DPRK']);
    expect(paek.identifiers).toEqual([
      { kind: 'passport', label: 'Passport', value: '381420754', note: 'issued 07 Dec 2011 expires 07 Dec 2016' },
    ]);
    const ko = parseRemarks(
      'DOB 25 May 1972; Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210; Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214; Passport 563120630 (Korea, North) expires 20 Mar 2018; Tanchon Commercial Bank Representative; Linked To: TANCHON COMMERCIAL BANK.',
    );
    expect(ko.identifiers).toEqual([
      { kind: 'passport', label: 'Passport', value: '563120630', country: 'Korea, North', note: 'expires 20 Mar 2018' },
    ]);
    expect(ko.unparsed).toEqual(['Tanchon Commercial Bank Representative']);
    expect(ko.linkedTo).toEqual(['TANCHON COMMERCIAL BANK']);
  });

  it('keeps approximate and ranged dates of birth as published (12211 KIM, Yong Chol and 23090 JO, Kyong-Chol, 2022-04-14 subset)', () => {
    const kim = parseRemarks(
      'DOB circa 1947; alt. DOB circa 1946; POB Pyongan-Pukto, North Korea; Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210; Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214.',
    );
    expect(kim.dobs).toEqual(['circa 1947', 'circa 1946']);
    expect(kim.placesOfBirth).toEqual(['Pyongan-Pukto, North Korea']);
    const jo = parseRemarks(
      'DOB 1944 to 1945; POB Korea, North; nationality Korea, North; Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210; Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214; DPRK Director of Military Security Command.',
    );
    expect(jo.dobs).toEqual(['1944 to 1945']);
    expect(jo.nationalities).toEqual(['Korea, North']);
  });

  it('reads an ETH address with its asset (27307 LAZARUS GROUP, 2022-04-14 subset)', () => {
    const r = parseRemarks(
      "Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96; Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210; Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214; a.k.a. 'HIDDEN COBRA'; a.k.a. 'OFFICE 91'; a.k.a. 'GUARDIANS OF PEACE'; a.k.a. 'THE NEW ROMANTIC CYBER ARMY TEAM'; a.k.a. 'WHOIS HACKING TEAM'; a.k.a. 'RED DOT'; a.k.a. 'TEMP.HERMIT'; a.k.a. 'GROUP 77'; a.k.a. 'ZINC'; a.k.a. 'APT-C-26'; a.k.a. 'APPLEWORM'.",
    );
    expect(r.identifiers).toEqual([
      {
        kind: 'crypto',
        label: 'Digital Currency Address - ETH',
        value: '0x098B716B8Aaf21512996dC57EB0615e2383E2f96',
        asset: 'ETH',
      },
    ]);
    expect(r.aliases).toHaveLength(11);
    expect(r.aliases.at(-1)).toEqual({ name: 'APPLEWORM', kind: 'aka', quality: 'weak' });
  });

  it('reads SWIFT/BIC, upper-case PHONE/FAX/TELEX/EMAIL labels (12312 KOREA DAESONG BANK, 2022-04-14 subset)', () => {
    const r = parseRemarks(
      'SWIFT/BIC KDBKKPPY; Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210; Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214; PHONE 850 2 381 8221; PHONE 850 2 18111 ext. 8221; FAX 850 2 381 4576; TELEX 360230 and 37041 KDP KP; TGMS daesongbank; EMAIL kdb@co.chesin.com.',
    );
    expect(r.identifiers.map((i) => [i.kind, i.label, i.value])).toEqual([
      ['swift-bic', 'SWIFT/BIC', 'KDBKKPPY'],
      ['phone', 'PHONE', '850 2 381 8221'],
      ['phone', 'PHONE', '850 2 18111 ext. 8221'],
      ['phone', 'FAX', '850 2 381 4576'],
      ['other', 'TELEX', '360230 and 37041 KDP KP'],
      ['email', 'EMAIL', 'kdb@co.chesin.com'],
    ]);
    expect(r.unparsed).toEqual(['TGMS daesongbank']);
  });

  it('reads vessel IMO numbers and company registration "Nationality of Registration" (17069 CHONG CHON GANG, 23149 YUSONG SHIPPING CO)', () => {
    const vessel = parseRemarks(
      'Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210; Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214; Vessel Registration Identification IMO 7937317.',
    );
    expect(vessel.identifiers).toEqual([{ kind: 'imo', label: 'Vessel Registration Identification', value: '7937317' }]);
    const company = parseRemarks(
      'Nationality of Registration Korea, North; Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210; Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214; Company Number 5146578.',
    );
    expect(company.nationalities).toEqual(['Korea, North']);
    expect(company.identifiers).toEqual([{ kind: 'registration', label: 'Company Number', value: '5146578' }]);
  });

  it('keeps aircraft details as facts (20540 P-532, 2022-04-14 subset)', () => {
    const r = parseRemarks(
      'Aircraft Manufacture Date 1974; Aircraft Model AN24-RV; Aircraft Operator Air Koryo; Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210; Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214.',
    );
    expect(r.facts.slice(0, 3)).toEqual([
      { label: 'Aircraft Manufacture Date', value: '1974' },
      { label: 'Aircraft Model', value: 'AN24-RV' },
      { label: 'Aircraft Operator', value: 'Air Koryo' },
    ]);
    expect(r.identifiers).toEqual([]);
  });

  it('does not parse the half item of a cut remark (45430 KIMSUKY, 2023-12-01, cut at 1,000 chars inside "510.210")', () => {
    const cut =
      'Website onerearth.xyz; alt. Website sovershopp.online; alt. Website mofa.lat; alt. Website janskinmn.lol; alt. Website supermeasn.lat; alt. Website bookstarrtion.online; alt. Website cdredos.site; alt. Website scemsal.site; alt. Website somelmark.store; Email Address hongsiao@naver.com; alt. Email Address teriparl25@gmail.com; alt. Email Address seanchung.hanvoice@hotmail.com; alt. Email Address pkurui9999@gmail.com; alt. Email Address ssdkfdlsfd@gmail.com; alt. Email Address haris2022100@outlook.com; alt. Email Address bing2020@outlook.kr; alt. Email Address marksigal1001@gmail.com; alt. Email Address donghyunkim1010@gmail.com; alt. Email Address hong_xiao@naver.com; alt. Email Address sm.carls0000@gmail.com; alt. Email Address kennedypamla@gmail.com; alt. Email Address ds1kdie@aol.com; alt. Email Address ds1kde@daum.net; alt. Email Address yoon.dasl@yahoo.com; alt. Email Address syshim10@mofa.lat; Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.2';
    expect(cut).toHaveLength(1000);
    const r = parseRemarks(cut, { truncated: true });
    expect(r.truncated).toBe(true);
    expect(r.identifiers.filter((i) => i.kind === 'website')).toHaveLength(9);
    expect(r.identifiers.filter((i) => i.kind === 'email')).toHaveLength(16);
    expect(r.identifiers).toContainEqual({ kind: 'website', label: 'Website', value: 'onerearth.xyz' });
    expect(r.facts).toEqual([]);
    expect(r.unparsed).toEqual(['Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.2']);
  });

  it('does not invent an alias from a quote left open by the cut (27307 LAZARUS GROUP, 2023-12-01 ends "a.k.a. \'WHOIS HACKIN")', () => {
    const tail = "a.k.a. 'THE NEW ROMANTIC CYBER ARMY TEAM'; a.k.a. 'WHOIS HACKIN";
    expect(parseRemarks(tail, { truncated: true }).aliases.map((a) => a.name)).toEqual(['THE NEW ROMANTIC CYBER ARMY TEAM']);
    // Even when not told, an unterminated quote never becomes an alias.
    expect(parseRemarks(tail).aliases.map((a) => a.name)).toEqual(['THE NEW ROMANTIC CYBER ARMY TEAM']);
  });

  it('parses the last item when the cut fell right after a separator (42496 WU, Huihui, 2023-12-01: its last 3 items, ending "…ViezzGa;")', () => {
    const r = parseRemarks(
      'Digital Currency Address - XBT 1NuBZQXJPyYQGfoBib8wWBDpZmbtkJa5Ba; alt. Digital Currency Address - XBT 14rjAD8ZP5xaL571cMRE98qgxxbg1S8mAN; alt. Digital Currency Address - XBT 18yWCu6agTxYqAerMxiz9sgHrK3ViezzGa;',
      { truncated: true },
    );
    expect(r.identifiers.map((i) => i.value)).toEqual([
      '1NuBZQXJPyYQGfoBib8wWBDpZmbtkJa5Ba',
      '14rjAD8ZP5xaL571cMRE98qgxxbg1S8mAN',
      '18yWCu6agTxYqAerMxiz9sgHrK3ViezzGa',
    ]);
    expect(r.identifiers.every((i) => i.asset === 'XBT')).toBe(true);
    expect(r.unparsed).toEqual([]);
  });

  it('returns nothing for an absent remark', () => {
    expect(parseRemarks(undefined)).toMatchObject({ aliases: [], identifiers: [], unparsed: [], truncated: false });
    expect(splitRemarkItems('')).toEqual([]);
  });
});
