/**
 * Given names that are one name in different spellings or languages: the romanizations
 * lists and passports use side by side (Yuri / Yury / Yuriy / Iurii, Dmitriy / Dmitry) and
 * the western form people type for a Russian name (Alexander for Aleksandr, Michael for
 * Mikhail). Each group folds to its first spelling in the matching key, as korean.ts folds
 * Pak / Park, so a variant meets the listed name; scores still prefer the literal spelling.
 *
 * Only given names whose spellings are one name are grouped: Ivan / John or Yakov / Jacob
 * are left out, since "John" would then meet every Ivan on the lists.
 */
const GROUPS: readonly string[][] = [
  ['aleksandr', 'alexander', 'alexandr', 'aleksander', 'oleksandr', 'alexandre'],
  ['aleksey', 'alexey', 'alexei', 'aleksei', 'aleksej', 'alexej', 'oleksiy', 'oleksii'],
  ['yuri', 'yury', 'yuriy', 'yurii', 'iurii', 'iuri', 'jurij', 'juri', 'youri'],
  ['mikhail', 'michael', 'mihail', 'mykhailo', 'mikhael'],
  ['dmitriy', 'dmitry', 'dmitri', 'dmitrii', 'dimitri', 'dimitry'],
  ['sergey', 'sergei', 'serguei', 'sergej', 'serhiy', 'serhii'],
  ['andrey', 'andrei', 'andrew', 'andrej', 'andriy', 'andrii'],
  ['nikolay', 'nikolai', 'nicholas', 'nikolaj', 'mykola'],
  ['yevgeniy', 'yevgeny', 'evgeny', 'evgenii', 'evgeniy', 'yevgenii', 'eugene', 'evgenij'],
  ['grigoriy', 'grigory', 'grigori', 'grigorii', 'gregory'],
  ['georgiy', 'georgy', 'georgii', 'george', 'georgi'],
  ['pavel', 'paul'],
  ['pyotr', 'petr', 'peter', 'piotr'],
  ['fyodor', 'fedor', 'fiodor', 'theodore'],
  ['ilya', 'ilia', 'ilja'],
  ['vasiliy', 'vasily', 'vasili', 'vasilii', 'vasilij'],
  ['anatoliy', 'anatoly', 'anatolii', 'anatolij'],
  ['viktor', 'victor'],
  ['konstantin', 'constantine', 'constantin'],
  ['maksim', 'maxim', 'maksym', 'maxime'],
  ['igor', 'ihor'],
  ['vitaliy', 'vitaly', 'vitalii', 'vitalij'],
  ['valeriy', 'valery', 'valerii', 'valerij'],
  ['vyacheslav', 'viacheslav', 'vjacheslav'],
  ['arkadiy', 'arkady', 'arkadii'],
  ['artyom', 'artem', 'artiom'],
  ['yelena', 'elena', 'jelena', 'olena'],
  ['natalya', 'natalia', 'natalja', 'nataliya'],
  ['tatyana', 'tatiana', 'tatjana', 'tetiana'],
  ['yekaterina', 'ekaterina', 'jekaterina', 'katerina'],
  ['mariya', 'maria'],
  ['yuliya', 'yulia', 'iuliia', 'julia'],
];

const CANONICAL = new Map<string, string>();
for (const group of GROUPS) for (const spelling of group) if (!CANONICAL.has(spelling)) CANONICAL.set(spelling, group[0]!);

/** The spelling a lower-case ASCII token's given-name group folds to (the token itself if none). */
export function givenNameKey(token: string): string {
  return CANONICAL.get(token) ?? token;
}

/** The groups, for the README and tests. */
export const GIVEN_NAME_GROUPS: readonly (readonly string[])[] = GROUPS;
