// Browser tests: `npm run test:browser` (= `vitest run --config e2e/vitest.config.ts`).
// `server.ts` builds the UI once and serves it with `vite preview` on a free port; each spec
// drives Debian's /usr/bin/chromium through playwright-core against the FAKE back end.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Keep vitest's cache with the other caches, not in e2e/.
  cacheDir: '../node_modules/.vite-e2e',
  test: {
    root: __dirname,
    include: ['**/*.spec.ts'],
    environment: 'node',
    globalSetup: ['./server.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One browser at a time: the specs share the machine with builds and other tests.
    fileParallelism: false,
  },
});
