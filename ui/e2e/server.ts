// Vitest global setup for the browser tests: build the UI (into node_modules/.bartizan-e2e,
// leaving the app's dist/ alone and out of lint's way) and serve it with `vite preview` on a free port. Specs read the URL from
// `inject('baseUrl')`.
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';

const uiRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(uiRoot, 'node_modules', '.bartizan-e2e');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

let server: PreviewServer | undefined;

export async function setup(project: TestProject) {
  // The fake back end is chosen at build time too, so no page can reach for Tauri.
  process.env.VITE_BACKEND = 'fake';
  await build({ root: uiRoot, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const port = await freePort();
  server = await preview({
    root: uiRoot,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port, strictPort: true, open: false },
  });
  project.provide('baseUrl', `http://127.0.0.1:${port}/`);
}

export async function teardown() {
  await server?.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
