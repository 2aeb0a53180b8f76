// Who signs: the name the user set, an app preference the shell keeps in the app's data
// directory. It is asked for the first time something needs signing (a triage decision, a
// recorded revision), offering the OS user's name when the shell knows it, and can be changed
// from the file bar ("Your name…"). Nothing is ever signed with a made-up name: when the user
// cancels, the caller signs nothing.

import { create } from 'zustand';
import { backend, backendError } from '../backend';

/** The name dialog waiting for an answer. */
export interface NamePrompt {
  /** What the field starts with. */
  initial: string;
  /** Why the name is asked for, or why the last answer was refused. */
  reason: string;
  resolve(name: string | null): void;
}

export const useNamePrompt = create<{ current: NamePrompt | null }>()(() => ({ current: null }));

/** Shows the name dialog; resolves with what the user typed, or null when they cancelled. */
export function promptForName(initial: string, reason: string): Promise<string | null> {
  return new Promise((resolve) => {
    useNamePrompt.getState().current?.resolve(null);
    useNamePrompt.setState({
      current: {
        initial,
        reason,
        resolve: (name) => {
          useNamePrompt.setState({ current: null });
          resolve(name);
        },
      },
    });
  });
}

/** Where the name is kept and how it is asked for (the shell and the dialog in the app). */
export interface Identity {
  /** The name set before; null when none is. */
  stored(): Promise<string | null>;
  /** The OS user's name, to offer; null when unknown. */
  suggestion(): Promise<string | null>;
  /** Asks for a name; null when the user cancels. */
  prompt(initial: string, reason: string): Promise<string | null>;
  /** Keeps the name; resolves with it as kept, rejects one that cannot sign. */
  save(name: string): Promise<string>;
}

/** The name that signs as last read from or kept by the shell, for the panels to show. */
export const useAuthor = create<{ name: string | null }>()(() => ({ name: null }));

const known = (name: string | null) => {
  useAuthor.setState({ name });
  return name;
};

export const appIdentity: Identity = {
  stored: () => backend.author().then(known),
  suggestion: () => backend.userName(),
  prompt: promptForName,
  save: (name) => backend.setAuthor(name).then((kept) => known(kept) ?? kept),
};

/**
 * The name that signs, asked for the first time (`reason` says what is being signed): the
 * name set before, or the one the user gives now (kept for next time); null when they cancel.
 */
export async function signer(reason: string, identity: Identity = appIdentity): Promise<string | null> {
  const stored = await identity.stored().catch(() => null);
  if (stored) return stored;
  const offered = await identity.suggestion().catch(() => null);
  return askName(identity, offered ?? '', `${reason} Your name signs it; you are asked once.`);
}

/** "Your name…": changes the name that signs; null when the user cancels (nothing changes). */
export async function changeName(identity: Identity = appIdentity): Promise<string | null> {
  const current = (await identity.stored().catch(() => null)) ?? (await identity.suggestion().catch(() => null));
  return askName(identity, current ?? '', 'Your name signs the triage decisions you make and the revisions you save.');
}

/** Asks until the name is kept or the user cancels; a refused name is asked again with why. */
async function askName(identity: Identity, initial: string, reason: string): Promise<string | null> {
  let value = initial;
  let why = reason;
  for (;;) {
    const answer = await identity.prompt(value, why);
    if (answer === null) return null;
    try {
      return await identity.save(answer);
    } catch (error) {
      value = answer;
      why = `That name cannot sign: ${backendError(error).message}.`;
    }
  }
}
