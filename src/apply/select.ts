import type { HealEvent } from '../learning/heals.js';

/** One change a heal proposes, as `medic apply` reports it: every heal event of the same old → new locator. */
export const changeKey = (heal: Pick<HealEvent, 'from' | 'to'>): string => `${heal.from.selector}\n${heal.to?.selector ?? ''}`;

export type Refused = { heal: HealEvent; reason: string };

/**
 * The heals `medic apply` may write into the source: accepted in review (`medic review`), and
 * with `pending` also the pending ones that healed (or were suggested) — never a rejected one,
 * nor one whose old → new locator was rejected in another run, nor one without a new locator.
 * @example selectHeals(await store.listHeals({ project }), { pending: false }).chosen
 */
export function selectHeals(heals: readonly HealEvent[], options: { pending: boolean }): { chosen: HealEvent[]; refused: Refused[] } {
  const rejected = new Set(heals.filter((h) => h.review === 'rejected' && h.to).map(changeKey));
  const chosen: HealEvent[] = [];
  const refused: Refused[] = [];
  for (const heal of heals) {
    if (!heal.to || heal.review === 'rejected') continue;
    const wanted = heal.review === 'accepted' || (options.pending && (heal.outcome === 'healed' || heal.outcome === 'suggested'));
    if (!wanted) continue;
    if (rejected.has(changeKey(heal))) refused.push({ heal, reason: 'this change was rejected in review (medic review) in another run' });
    else chosen.push(heal);
  }
  return { chosen, refused };
}
