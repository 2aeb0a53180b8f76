// What the panels give the app's layout (`App.tsx` picks these up): the file bar, the
// inspector, the side panels (risks, open questions, fix plan, history), and the app-wide
// effects — live analysis, autosave, crash recovery, the dirty flag — with the dialogs they may open.

import { useLiveAnalysis } from './analysis';
import { DialogHost } from './Dialog';
import { NameDialog } from './NameDialog';
import { useFileSession } from './session';

export { FileBar } from './FileBar';
export { Inspector } from './Inspector';
export { ReadOnlyBanner as DocumentBanner } from './ReadOnlyBanner';
export { SidePanels } from './SidePanels';
export { startSession } from './session';

export function AppEffects() {
  useLiveAnalysis();
  useFileSession();
  return (
    <>
      <DialogHost />
      <NameDialog />
    </>
  );
}
