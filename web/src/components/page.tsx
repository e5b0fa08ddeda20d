import { Breadcrumbs, Flex, Text } from '@itwin/itwinui-react';
import type { ReactNode } from 'react';
import { Link, to } from '../router';

export interface Crumb {
  label: string;
  href: string;
}

/**
 * The way down to an iModel's screens: iTwins, the iTwin, and (when `iModel` is given) the iModel,
 * named as they are read ('…' until then).
 */
export function crumbsTo(iTwin: { id: string; name?: string }, iModel?: { id: string; name?: string }): Crumb[] {
  const crumbs = [
    { label: 'iTwins', href: to() },
    { label: iTwin.name ?? '…', href: to('itwins', iTwin.id) },
  ];
  if (iModel) crumbs.push({ label: iModel.name ?? '…', href: to('itwins', iTwin.id, 'imodels', iModel.id) });
  return crumbs;
}

/** A screen: where it is (breadcrumbs), its title as the page's one h1, its actions, its content. */
export function Page({ crumbs, title, actions, children }: { crumbs: Crumb[]; title: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <Flex flexDirection="column" alignItems="stretch" gap="m" className="ts-page">
      {crumbs.length > 0 && (
        <Breadcrumbs aria-label="Where you are">
          {crumbs.map((crumb) => (
            <Link key={crumb.href} href={crumb.href}>
              {crumb.label}
            </Link>
          ))}
        </Breadcrumbs>
      )}
      <Flex justifyContent="space-between" alignItems="center" flexWrap="wrap" gap="s">
        <Text variant="headline" as="h1">
          {title}
        </Text>
        {actions && (
          <Flex gap="xs" flexWrap="wrap">
            {actions}
          </Flex>
        )}
      </Flex>
      {children}
    </Flex>
  );
}
