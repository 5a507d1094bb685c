import type { SessionUser } from './session.js';

export interface NavigationItem {
  readonly href: string;
  readonly text: string;
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
