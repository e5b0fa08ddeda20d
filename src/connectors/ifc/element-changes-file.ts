/**
 * The file of a converter task's output folder that holds its element changes (the Changed
 * Elements API's parallel arrays). Apart from element-changes.ts, which needs iTwin.js: the worker's
 * side reads the name without loading it.
 */
export const ELEMENT_CHANGES_FILE = 'element-changes.json';
