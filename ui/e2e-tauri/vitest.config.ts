// Real-window tests: the built desktop app (`make app`: `target/app/bartizan-desktop`) driven through
// tauri-driver + WebKitWebDriver. Run under a display: `make test-app`, i.e.
// `xvfb-run -a npx vitest run --config e2e-tauri/vitest.config.ts`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: __dirname,
    include: ['**/*.spec.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One app window at a time.
    fileParallelism: false,
  },
});
