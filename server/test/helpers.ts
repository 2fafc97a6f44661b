import { afterEach } from 'vitest';
import { buildApp } from '../src/app.ts';

export const WEB_ORIGIN = 'http://localhost:5173';

type App = Awaited<ReturnType<typeof buildApp>>;
const opened: App[] = [];

/** Builds the app for `app.inject()`; every app is closed after its test. */
export async function testApp(): Promise<App> {
  const app = await buildApp({ config: { allowedOrigins: [WEB_ORIGIN, 'http://127.0.0.1:5173'] } });
  opened.push(app);
  return app;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((app) => app.close()));
});
