// Filled by its own issue; the package exists now so the layout and build are fixed.
export const PACKAGE = '@hippo/eval';
