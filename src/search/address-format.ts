/** Address shapes by chain family: used to say what was pasted, not to gatekeep. */
const FORMATS: ReadonlyArray<[string, RegExp]> = [
  ['EVM (ETH, USDT-ERC20, BSC…)', /^0x[0-9a-fA-F]{40}$/],
  ['Bitcoin', /^(bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34})$/],
  ['TRON', /^T[1-9A-HJ-NP-Za-km-z]{33}$/],
  ['Litecoin', /^(ltc1[02-9ac-hj-np-z]{11,71}|[LM][1-9A-HJ-NP-Za-km-z]{26,33})$/],
  ['Monero', /^[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}$/],
];

/** The chain family an address looks like, or undefined when it has no known shape. */
export function addressFormat(address: string): string | undefined {
  return FORMATS.find(([, re]) => re.test(address))?.[0];
}
