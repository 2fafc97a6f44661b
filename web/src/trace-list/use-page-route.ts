import { useEffect, useState } from 'react';
import { parseRoute, type PageRoute } from './route';

/** The page's route (route.ts), following the URL's fragment as links and Back change it. */
export function usePageRoute(): PageRoute {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onHashChange = (): void => setHash(window.location.hash);
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);
  return parseRoute(hash);
}
