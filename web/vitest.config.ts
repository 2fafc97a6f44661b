import { defineConfig } from 'vitest/config';

// Unit tests cover the pure modules (URL matching, paths, error messages), so
// they run in Node without the React plugin or a DOM.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
  },
});
