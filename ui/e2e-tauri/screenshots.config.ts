// Not a test suite: `scripts/screenshots.sh` runs this to take the README's screenshots from
// the real window (see screenshots.shoot.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: __dirname,
    include: ['screenshots.shoot.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
