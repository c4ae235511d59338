/**
 * Checks that decide whether a freshly parsed list is trustworthy enough to replace the
 * stored one. A list that fails any of them produces no alerts and leaves state untouched.
 */
export interface GuardInput {
  previousCount: number | undefined;
  newCount: number;
  removedCount: number;
  declaredCount?: number;
  maxRemovalShare: number;
}

/** The reason a parsed list is suspicious, or undefined when it looks sound. */
export function suspiciousListReason(i: GuardInput): string | undefined {
  if (i.newCount === 0) return 'the list parsed to zero records';
  if (i.declaredCount !== undefined && i.declaredCount !== i.newCount)
    return `the list declares ${i.declaredCount} records but ${i.newCount} parsed`;
  if (i.previousCount && i.previousCount > 0) {
    const share = i.removedCount / i.previousCount;
    if (share > i.maxRemovalShare)
      return `it would remove ${i.removedCount} of ${i.previousCount} records (${(share * 100).toFixed(1)}%, above the ${(i.maxRemovalShare * 100).toFixed(1)}% limit)`;
  }
  return undefined;
}
