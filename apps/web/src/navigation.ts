import type { SessionUser } from './session.js';

export interface NavigationItem {
  readonly href: string;
  readonly text: string;
  /** The item of the page shown: the one whose address is the longest that the page's path starts with. */
  readonly active?: boolean;
}

/** Marks the item of `path` active: only one, so "Your area" and "Quarterly returns" are never both lit. */
export function markActive(items: readonly NavigationItem[], path: string): NavigationItem[] {
  const matches = (href: string) => path === href || (href !== '/' && path.startsWith(`${href}/`));
  const best = items
    .filter((i) => matches(i.href))
    .reduce<NavigationItem | undefined>((a, i) => (!a || i.href.length > a.href.length ? i : a), undefined);
  return items.map((i) => ({ ...i, active: i === best }));
}

/** The service navigation of each kind of person: where their journeys start. */
export function navigationFor(user: SessionUser | undefined): NavigationItem[] {
  const library: NavigationItem = { href: '/learning', text: 'Learning library' };
  switch (user?.role) {
    case 'CENTRAL':
      return [
        { href: '/programme', text: 'Programme overview' },
        { href: '/returns', text: 'Returns' },
        { href: '/areas', text: 'Areas and funding' },
        { href: '/activity', text: 'Activity' },
        { href: '/comparators', text: 'Comparators' },
        library,
      ];
    case 'PILOT':
      return [
        { href: `/areas/${user.area ?? ''}`, text: 'Your area' },
        { href: `/areas/${user.area ?? ''}/returns`, text: 'Quarterly returns' },
        { href: '/programme', text: 'Programme overview' },
        library,
      ];
    case 'COUNCIL':
      return [library, { href: '/learning/adopted', text: 'Adopted by your council' }];
    default:
      return [library];
  }
}
