// Starting the real app under tauri-driver (which drives WebKitWebDriver) and helpers the
// specs share. The app's native dialogs cannot be driven, so the app runs with
// BARTIZAN_E2E_DIALOG_DIR: its dialogs answer with files in that folder (see src-tauri/src/dialogs.rs).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = path.join(HERE, 'artifacts');
/** The app under test: `BARTIZAN_APP`, or `make app`'s build in the shared target directory. */
export const APP = process.env.BARTIZAN_APP ?? path.resolve(HERE, '../../target/app/bartizan-desktop');
export const REPO = path.resolve(HERE, '../..');

export type Browser = WebdriverIO.Browser;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, driver: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (driver.exitCode !== null) throw new Error(`tauri-driver exited (${driver.exitCode}): ${log()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/status`);
      if (response.ok || response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`tauri-driver did not listen on ${port}: ${log()}`);
}

/**
 * A tauri-driver with its own home for the app: a dialog folder, XDG data/config/cache
 * folders and a workspace database, so that recent files, autosaves and the history of saved
 * models start empty and outlive one app session (for the tests that restart the app).
 */
export class Driver {
  /** The app's identifier (`tauri.conf.json`): its data directory's name. */
  static readonly APP_ID = 'org.bartizan.desktop';
  readonly root = mkdtempSync(path.join(tmpdir(), 'bartizan-e2e-'));
  /** The app's data directory (recent files, the autosave, the preferences). */
  readonly appData = path.join(this.root, 'data', Driver.APP_ID);
  /**
   * The name that signs triage decisions and revisions, set as the user's preference before
   * the app starts; null leaves it unset, so the app asks for it.
   */
  readonly author: string | null;

  constructor(options: { author?: string | null } = {}) {
    this.author = options.author === undefined ? 'E2E tester' : options.author;
  }
  readonly dialogDir = path.join(this.root, 'dialogs');
  /** The workspace database the app records revisions in (`BARTIZAN_WORKSPACE`). */
  readonly workspace = path.join(this.root, 'workspace', 'workspace.sqlite3');
  private process: ChildProcess | null = null;
  private port = 0;
  private output = '';

  async start(): Promise<void> {
    if (!existsSync(APP)) throw new Error(`no app at ${APP}: build it first (make app)`);
    if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
      throw new Error('no display: run the real-window tests under xvfb-run -a');
    }
    mkdirSync(this.dialogDir, { recursive: true });
    if (this.author !== null) {
      mkdirSync(this.appData, { recursive: true });
      writeFileSync(path.join(this.appData, 'preferences.json'), JSON.stringify({ author: this.author }));
    }
    this.port = await freePort();
    const nativePort = await freePort();
    const env = {
      ...process.env,
      BARTIZAN_E2E_DIALOG_DIR: this.dialogDir,
      XDG_DATA_HOME: path.join(this.root, 'data'),
      XDG_CONFIG_HOME: path.join(this.root, 'config'),
      XDG_CACHE_HOME: path.join(this.root, 'cache'),
      // The history of saved models: a workspace of this run's own, never the user's.
      BARTIZAN_WORKSPACE: this.workspace,
      // A software-rendered Xvfb has no GPU: keep WebKit off its hardware paths.
      WEBKIT_DISABLE_DMABUF_RENDERER: '1',
      NO_AT_BRIDGE: '1',
    };
    const binary = process.env.TAURI_DRIVER ?? 'tauri-driver';
    this.process = spawn(binary, ['--port', String(this.port), '--native-port', String(nativePort)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    this.process.stdout?.on('data', keep);
    this.process.stderr?.on('data', keep);
    await waitForPort(this.port, this.process, () => this.output);
  }

  /** Starts the app in a new window and waits for the UI to be up. */
  async open(args: string[] = []): Promise<Browser> {
    const browser = await remote({
      hostname: '127.0.0.1',
      port: this.port,
      logLevel: (process.env.WDIO_LOG_LEVEL as 'info' | undefined) ?? 'warn',
      connectionRetryCount: 0,
      capabilities: {
        // WebKitWebDriver speaks WebDriver classic only.
        'wdio:enforceWebDriverClassic': true,
        'tauri:options': { application: APP, args },
      } as WebdriverIO.Capabilities,
    });
    await browser.setTimeout({ implicit: 0 });
    await testId(browser, 'app-root').waitForExist({ timeout: 30_000 });
    await browser.execute(() => {
      const w = window as unknown as { __cspViolations?: string[] };
      w.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        w.__cspViolations?.push(`${e.violatedDirective}: ${e.blockedURI}`);
      });
    });
    return browser;
  }

  log(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    if (this.process && this.process.exitCode === null) {
      const exited = new Promise((resolve) => this.process?.once('exit', resolve));
      this.process.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (this.process.exitCode === null) this.process.kill('SIGKILL');
    }
    this.process = null;
    if (!process.env.BARTIZAN_E2E_KEEP) rmSync(this.root, { recursive: true, force: true });
  }
}

export function testId(browser: Browser, id: string) {
  return browser.$(`[data-testid="${id}"]`);
}

/** The ids of the nodes on the canvas (`data-testid="node-<id>"`). */
export async function nodeIds(browser: Browser): Promise<string[]> {
  return browser.execute(() =>
    Array.from(document.querySelectorAll('[data-testid^="node-"]'))
      .map((el) => el.getAttribute('data-testid') ?? '')
      .filter((id) => !id.startsWith('node-badge-'))
      .map((id) => id.slice('node-'.length)),
  );
}

/** What carries the highlight class: the test id of each highlighted element (or its part). */
export async function highlighted(browser: Browser): Promise<string[]> {
  return browser.execute(() =>
    Array.from(document.querySelectorAll('.bartizan-highlight')).map(
      (el) =>
        el.getAttribute('data-testid') ??
        el.querySelector('[data-testid]')?.getAttribute('data-testid') ??
        el.closest('[data-testid]')?.getAttribute('data-testid') ??
        el.className.toString(),
    ),
  );
}

/** The text content of the element with test id `id` ('' when there is none). */
export async function textOf(browser: Browser, id: string): Promise<string> {
  return browser.execute((testid: string) => document.querySelector(`[data-testid="${testid}"]`)?.textContent ?? '', id);
}

/** Calls a command through Tauri's IPC as the UI would; returns `{ ok }` or `{ error }`. */
export async function invoke(
  browser: Browser,
  command: string,
  args: Record<string, unknown> = {},
): Promise<{ ok?: unknown; error?: unknown }> {
  // WebDriver awaits a returned promise; this one never rejects. (WebKitWebDriver takes a
  // result with an `error` key for a script error, hence `failed`.)
  const result = (await browser.execute(
    (cmd: string, payload: Record<string, unknown>) =>
      (window as unknown as { __TAURI_INTERNALS__: { invoke(c: string, a: unknown): Promise<unknown> } }).__TAURI_INTERNALS__
        .invoke(cmd, payload)
        .then(
          (ok) => ({ ok }),
          (error: unknown) => ({ failed: error ?? 'rejected' }),
        ),
    command,
    args,
  )) as { ok?: unknown; failed?: unknown };
  return 'failed' in result ? { error: result.failed } : { ok: result.ok };
}

/**
 * Calls a command whose request body is `text` (as the UI sends a document to `analyze`);
 * returns `{ ok }` or `{ error }` like [`invoke`].
 */
export async function invokeWithText(browser: Browser, command: string, text: string): Promise<{ ok?: unknown; error?: unknown }> {
  const result = (await browser.execute(
    (cmd: string, body: string) =>
      (window as unknown as { __TAURI_INTERNALS__: { invoke(c: string, a: unknown): Promise<unknown> } }).__TAURI_INTERNALS__
        .invoke(cmd, new TextEncoder().encode(body))
        .then(
          (ok) => ({ ok }),
          (error: unknown) => ({ failed: error ?? 'rejected' }),
        ),
    command,
    text,
  )) as { ok?: unknown; failed?: unknown };
  return 'failed' in result ? { error: result.failed } : { ok: result.ok };
}

export async function cspViolations(browser: Browser): Promise<string[]> {
  return browser.execute(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}

/** Waits for `predicate` to hold, polling; fails with `message` (and the last value) when it does not. */
export async function eventually<T>(
  probe: () => Promise<T>,
  predicate: (value: T) => boolean,
  message: string,
  timeout = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeout;
  let value = await probe();
  while (!predicate(value)) {
    if (Date.now() > deadline) throw new Error(`${message}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await probe();
  }
  return value;
}

/**
 * A PNG of the screen for people reviewing a run (`e2e-tauri/artifacts/`), taken from the X
 * display (WebKitWebDriver's own screenshot command can hang). Best effort: never fails a test.
 */
export async function screenshot(name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await new Promise<void>((resolve) => {
    execFile('import', ['-window', 'root', path.join(ARTIFACTS, `${name}.png`)], { timeout: 15_000 }, () => resolve());
  });
}
