/**
 * Words and names that make a text about North Korea's sanctions evasion and cyber
 * activity. Shared by report feeds and fact-check claims so both judge relevance alike.
 * Each entry: the label shown to users, and the pattern that finds it (word-bounded,
 * case-insensitive).
 */
export const DPRK_TERMS: ReadonlyArray<readonly [label: string, pattern: RegExp]> = [
  ['North Korea', /\bnorth[\s-]+korea(n|ns)?\b/i],
  ['DPRK', /\bD\.?P\.?R\.?K\.?\b/],
  ["Democratic People's Republic of Korea", /\bdemocratic\s+people['’]?s\s+republic\s+of\s+korea\b/i],
  ['Pyongyang', /\bpyongyang\b/i],
  ['Kim Jong Un', /\bkim\s+jong[\s-]?un\b/i],
  ['Lazarus', /\blazarus\b/i],
  ['Kimsuky', /\bkimsuky\b/i],
  ['Andariel', /\bandariel\b/i],
  ['BlueNoroff', /\bblue\s?noroff\b/i],
  ['TraderTraitor', /\btrader\s?traitor\b/i],
  ['APT38', /\bapt\s?38\b/i],
  ['APT37', /\bapt\s?37\b/i],
  ['APT43', /\bapt\s?43\b/i],
  ['APT45', /\bapt\s?45\b/i],
  ['Hidden Cobra', /\bhidden\s+cobra\b/i],
  ['Reconnaissance General Bureau', /\breconnaissance\s+general\s+bureau\b|\bRGB\b/],
  ['Famous Chollima', /\bfamous\s+chollima\b/i],
  ['Jade Sleet', /\bjade\s+sleet\b/i],
  ['Moonstone Sleet', /\bmoonstone\s+sleet\b/i],
  ['Citrine Sleet', /\bcitrine\s+sleet\b/i],
  ['Sapphire Sleet', /\bsapphire\s+sleet\b/i],
  ['Emerald Sleet', /\bemerald\s+sleet\b/i],
  ['IT workers', /\bIT\s+workers?\b|\binformation\s+technology\s+workers?\b/],
  ['MSMT', /\bMSMT\b|\bmultilateral\s+sanctions\s+monitoring\s+team\b/i],
  ['1718 Committee', /\b1718\s+committee\b/i],
];

/** Labels of the DPRK terms a text contains, in list order (empty when none). */
export function matchDprkTerms(text: string): string[] {
  return DPRK_TERMS.filter(([, re]) => re.test(text)).map(([label]) => label);
}
